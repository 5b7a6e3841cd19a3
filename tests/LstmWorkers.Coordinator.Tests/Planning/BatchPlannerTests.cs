using LstmWorkers.Coordinator.Planning;

namespace LstmWorkers.Coordinator.Tests.Planning;

public class BatchPlannerTests
{
    [Fact]
    public void Plan_sorts_rows_by_decreasing_length_keeping_ties_in_input_order()
    {
        var batches = BatchPlanner.Plan([2, 5, 0, 5, 1], maxRows: 10, maxTokens: 100);

        var batch = Assert.Single(batches);
        Assert.Equal([1, 3, 0, 4, 2], batch.Rows);
        Assert.Equal([4, 3, 2, 2, 2], batch.BatchSizes);
        Assert.Equal(13, batch.Tokens);
    }

    [Fact]
    public void Plan_cuts_at_the_row_limit_and_covers_every_row_once()
    {
        int[] lengths = Enumerable.Range(0, 1000).Select(i => (i * 37) % 23).ToArray();

        var batches = BatchPlanner.Plan(lengths, maxRows: 64, maxTokens: 1_000_000);

        Assert.All(batches, b => Assert.InRange(b.Rows.Length, 1, 64));
        Assert.Equal(Enumerable.Range(0, 1000), batches.SelectMany(b => b.Rows).Order());
        Assert.Equal(lengths.Sum(), batches.Sum(b => b.Tokens));
    }

    [Fact]
    public void Plan_cuts_at_the_token_limit_but_gives_a_longer_row_its_own_batch()
    {
        var batches = BatchPlanner.Plan([50, 4, 4, 4, 4], maxRows: 10, maxTokens: 10);

        Assert.Equal([[0], [1, 2], [3, 4]], batches.Select(b => b.Rows));
        Assert.Equal(50, batches[0].BatchSizes.Length);
    }

    [Fact]
    public void Plan_of_only_empty_rows_gives_a_batch_with_no_steps()
    {
        var batches = BatchPlanner.Plan([0, 0, 0], maxRows: 10, maxTokens: 10);

        var batch = Assert.Single(batches);
        Assert.Empty(batch.BatchSizes);
        Assert.Equal([0, 1, 2], batch.Rows);
    }
}
