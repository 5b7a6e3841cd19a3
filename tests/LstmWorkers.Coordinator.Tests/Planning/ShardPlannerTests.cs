using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Tests.Planning;

public class ShardPlannerTests
{
    /// <summary>Row groups of these sizes, back to back, in two files (the first three groups, then the rest).</summary>
    private static RowGroupSpan[] Groups(params long[] rows)
    {
        var groups = new RowGroupSpan[rows.Length];
        long first = 0;
        for (int g = 0; g < rows.Length; g++)
        {
            groups[g] = new RowGroupSpan(g < 3 ? 0 : 1, g < 3 ? g : g - 3, new RowRange(first, rows[g]), rows[g]);
            first += rows[g];
        }

        return groups;
    }

    private static (long First, long Count)[] Ranges(IReadOnlyList<Shard> shards) => shards.Select(s => (s.Rows.First, s.Rows.Count)).ToArray();

    [Fact]
    public void Row_groups_share_a_shard_while_they_fit_and_shards_end_at_row_group_boundaries()
    {
        var shards = ShardPlanner.Plan(Groups(40, 40, 30, 50, 10, 90), maxRows: 100);

        Assert.Equal([(0L, 80L), (80, 90), (170, 90)], Ranges(shards));
        Assert.Equal([0, 1, 2], shards.Select(s => s.Index));
    }

    [Fact]
    public void A_row_group_larger_than_the_cap_is_cut_and_its_rest_starts_the_next_shard()
    {
        var shards = ShardPlanner.Plan(Groups(30, 250, 20), maxRows: 100);

        Assert.Equal([(0L, 30L), (30, 100), (130, 100), (230, 70)], Ranges(shards));
    }

    [Fact]
    public void Without_a_cap_the_whole_input_is_one_shard()
    {
        Assert.Equal([(0L, 300L)], Ranges(ShardPlanner.Plan(Groups(30, 250, 20), maxRows: null)));
    }

    [Fact]
    public void An_empty_input_is_one_shard_of_no_rows()
    {
        Assert.Equal([(0L, 0L)], Ranges(ShardPlanner.Plan(Groups(0, 0), maxRows: 10)));
        Assert.Equal([(0L, 0L)], Ranges(ShardPlanner.Plan([], maxRows: 10)));
    }

    [Fact]
    public void Every_plan_covers_every_row_once_in_order_within_the_cap_and_a_second_plan_is_the_same()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 200; trial++)
        {
            var groups = Groups([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => (long)random.Next(0, 60))]);
            long cap = random.Next(1, 80);

            var shards = ShardPlanner.Plan(groups, cap);

            Assert.Equal(Ranges(shards), Ranges(ShardPlanner.Plan(groups, cap)));
            Assert.Equal(groups.Sum(g => g.Rows.Count), shards.Sum(s => s.Rows.Count));
            Assert.All(shards.Zip(shards.Skip(1)), pair => Assert.Equal(pair.First.Rows.End, pair.Second.Rows.First));
            Assert.All(shards, s => Assert.InRange(s.Rows.Count, groups.Sum(g => g.Rows.Count) == 0 ? 0 : 1, cap));
            var boundaries = groups.Select(g => g.Rows.First).ToHashSet();
            Assert.All(shards.Where(s => !boundaries.Contains(s.Rows.First)),
                s => Assert.Contains(groups, g => g.Rows.First < s.Rows.First && s.Rows.First < g.Rows.End && g.Rows.Count > cap));
        }
    }

    [Theory]
    [InlineData(2048, 131072)]
    [InlineData(1L << 30, 1)]
    public void The_default_part_holds_about_256_MiB_of_results(long rowBytes, long rows)
    {
        Assert.Equal(rows, ShardPlanner.DefaultRowsPerPart(rowBytes));
    }
}
