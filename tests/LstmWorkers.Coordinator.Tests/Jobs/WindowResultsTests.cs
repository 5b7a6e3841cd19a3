using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Core.Models;
using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public class WindowResultsTests
{
    [Fact]
    public void Add_puts_packed_results_back_in_input_order_with_padding()
    {
        // Three rows of lengths 1, 2, 0; one direction, H = H_out = 1, one layer, T = 3.
        var window = new RowChunk("f.parquet", 10, IdValues.RowNumbers(10, 3), [1, 2, 0], [7, 8, 9], null, 0);
        var shape = new JobShape(new LstmConfig(1, 2, 1, 0, false, true, 50), 3, OutputSelection.All, -1f);
        var batch = BatchPlanner.Plan(window.Lengths, 8, 100).Single();
        var results = new WindowResults(window, shape);

        // Sorted order is rows [1, 0, 2]; packed output: t0 = (row1, row0), t1 = (row1).
        results.Add(batch, output: [10f, 20f, 11f], hidden: [11f, 20f, 0f], cell: [1f, 2f, 0f]);
        var chunk = results.ToChunk();

        Assert.Equal([20f, -1f, -1f, 10f, 11f, -1f, -1f, -1f, -1f], chunk.Output!);
        Assert.Equal([20f, 11f, 0f], chunk.Hn!);
        Assert.Equal([2f, 1f, 0f], chunk.Cn!);
    }
}
