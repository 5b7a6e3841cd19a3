using LstmWorkers.Core.Packing;

namespace LstmWorkers.Coordinator.Planning;

/// <summary>
/// Sorts a window's rows by length and cuts them into packed batches: consecutive rows of the
/// sorted order, at most <c>maxRows</c> rows and <c>maxTokens</c> time steps each (a single longer
/// row gets a batch of its own). Sorting first keeps rows of similar length together, so the
/// batch sizes of a packed batch shrink slowly and every step keeps many rows busy.
/// </summary>
public static class BatchPlanner
{
    public static IReadOnlyList<PlannedBatch> Plan(ReadOnlySpan<int> lengths, int maxRows, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        int[] order = RnnUtils.SortByLengthDescending(lengths);
        var batches = new List<PlannedBatch>();
        int start = 0;
        while (start < order.Length)
        {
            int end = start;
            long tokens = 0;
            while (end < order.Length && end - start < maxRows && (end == start || tokens + lengths[order[end]] <= maxTokens))
            {
                tokens += lengths[order[end]];
                end++;
            }

            int[] rows = order[start..end];
            batches.Add(new PlannedBatch(rows, BatchSizes(rows, lengths), tokens));
            start = end;
        }

        return batches;
    }

    private static int[] BatchSizes(int[] sortedRows, ReadOnlySpan<int> lengths)
    {
        int maxLength = lengths[sortedRows[0]];
        var batchSizes = new int[maxLength];
        int running = sortedRows.Length;
        for (int t = 0; t < maxLength; t++)
        {
            while (lengths[sortedRows[running - 1]] <= t)
            {
                running--;
            }

            batchSizes[t] = running;
        }

        return batchSizes;
    }
}
