using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public class WindowResultsTests
{
    // Three rows of lengths 1, 2, 0; one direction, H = H_out = 1, one layer, T = 3.
    private static readonly RowChunk Window = new("f.parquet", 10, IdValues.RowNumbers(10, 3), [1, 2, 0], [7, 8, 9], null, 0);
    private static readonly LstmConfig Config = new(1, 2, 1, 0, false, true, 50);

    // Sorted order is rows [1, 0, 2]; packed output: t0 = (row1, row0), t1 = (row1).
    private static readonly LstmBatchResult Encoded = new([10f, 20f, 11f], [11f, 20f, 0f], [1f, 2f, 0f])
    {
        PooledMean = [10.5f, 20f, 0f],
        PooledMax = [11f, 20f, 0f],
    };

    [Fact]
    public void Add_puts_packed_results_back_in_input_order_with_padding()
    {
        var results = new WindowResults(Window, new JobShape(Config, 3, OutputSelection.Default, -1f));

        results.Add(BatchPlanner.Plan(Window.Lengths, 8, 100).Single(), Encoded);
        var chunk = results.ToChunk();

        Assert.Equal([20f, -1f, -1f, 10f, 11f, -1f, -1f, -1f, -1f], chunk.Output!);
        Assert.Equal([20f, 11f, 0f], chunk.Hn!);
        Assert.Equal([2f, 1f, 0f], chunk.Cn!);
        Assert.Null(chunk.PooledMean);
    }

    [Fact]
    public void Add_of_a_ragged_output_puts_each_row_own_steps_one_after_another_without_padding()
    {
        var shape = new JobShape(Config, 3, OutputSelection.Output, -1f) { Layout = OutputLayout.Ragged };
        var results = new WindowResults(Window, shape);

        results.Add(BatchPlanner.Plan(Window.Lengths, 8, 100).Single(), Encoded);

        Assert.Equal([20f, 10f, 11f], results.ToChunk().Output!);
    }

    [Fact]
    public void Add_puts_pooled_vectors_back_in_input_order()
    {
        var shape = new JobShape(Config, 0, OutputSelection.PooledMean | OutputSelection.PooledMax, 0f);
        var results = new WindowResults(Window, shape);

        results.Add(BatchPlanner.Plan(Window.Lengths, 8, 100).Single(), Encoded with { Output = null });
        var chunk = results.ToChunk();

        Assert.Null(chunk.Output);
        Assert.Null(chunk.Hn);
        Assert.Equal([20f, 10.5f, 0f], chunk.PooledMean!);
        Assert.Equal([20f, 11f, 0f], chunk.PooledMax!);
    }

    [Fact]
    public void A_batch_that_comes_back_without_the_pooled_vectors_asked_for_is_an_error()
    {
        var results = new WindowResults(Window, new JobShape(Config, 0, OutputSelection.PooledMax, 0f));

        var error = Assert.Throws<InvalidOperationException>(() =>
            results.Add(BatchPlanner.Plan(Window.Lengths, 8, 100).Single(), Encoded with { PooledMax = null }));

        Assert.Contains("pooled_max came back with no values", error.Message);
    }
}
