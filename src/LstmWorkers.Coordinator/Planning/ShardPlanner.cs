using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Planning;

/// <summary>
/// Cuts a job into shards from the input's footers alone: contiguous row ranges, in input order, that end at row-group
/// boundaries and hold at most the given rows each. Consecutive row groups share a shard while they fit (also across
/// files); a row group larger than the cap is cut into pieces of the cap, the last of which starts the next shard. A pure
/// function of the row groups and the cap, so a restarted planner makes the same plan.
/// </summary>
public static class ShardPlanner
{
    /// <summary>A part's default size: about this many bytes of results (contract §6).</summary>
    public const long DefaultPartBytes = 256L * 1024 * 1024;

    /// <summary>The default cap on a part's rows for results of <paramref name="rowBytes"/> bytes a row.</summary>
    public static long DefaultRowsPerPart(long rowBytes) => Math.Max(1, DefaultPartBytes / Math.Max(1, rowBytes));

    /// <param name="groups">The input's row groups in row order, back to back from row 0.</param>
    /// <param name="maxRows">The most rows of a shard; null: one shard of every row.</param>
    /// <returns>At least one shard (one of 0 rows for an empty input); together they cover every row once, in order.</returns>
    public static IReadOnlyList<Shard> Plan(IReadOnlyList<RowGroupSpan> groups, long? maxRows)
    {
        long total = groups.Sum(g => g.Rows.Count);
        if (maxRows is not { } cap)
        {
            return [new Shard(0, new RowRange(0, total))];
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1, nameof(maxRows));
        var shards = new List<Shard>();
        long start = 0, rows = 0;
        void Close()
        {
            shards.Add(new Shard(shards.Count, new RowRange(start, rows)));
            start += rows;
            rows = 0;
        }

        foreach (var group in groups)
        {
            long remaining = group.Rows.Count;
            if (rows > 0 && rows + remaining > cap)
            {
                Close();
            }

            while (remaining > cap)
            {
                rows = cap;
                remaining -= cap;
                Close();
            }

            rows += remaining;
        }

        if (rows > 0 || shards.Count == 0)
        {
            Close();
        }

        return shards;
    }
}
