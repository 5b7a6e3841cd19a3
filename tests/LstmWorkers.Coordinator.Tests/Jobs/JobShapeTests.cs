using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Models;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public class JobShapeTests
{
    // Embedding(32000, 256) → LSTM(256, 256, 2 layers, bidirectional): 4 bytes in per token, D·H_out = 512 floats out.
    private static readonly LstmConfig TokenModel = new(2, 256, 256, 0, true, true, 32000);

    // LSTM(32, 64): 32 features in per token, 64 floats out.
    private static readonly LstmConfig FeatureModel = new(1, 32, 64, 0, false, true, 0);

    [Theory]
    [InlineData(OutputSelection.Default, 4 * 512)]
    [InlineData(OutputSelection.Output, 4 * 512)]
    [InlineData(OutputSelection.HiddenState, 4)] // no output column: a token costs only its id
    [InlineData(OutputSelection.HiddenState | OutputSelection.CellState, 4)]
    public void TokenBytes_of_a_token_model_counts_output_only_when_the_job_writes_it(OutputSelection outputs, int expected)
    {
        Assert.Equal(expected, new JobShape(TokenModel, 100, outputs, 0f).TokenBytes);
    }

    [Theory]
    [InlineData(OutputSelection.Default, 4 * 64)]
    [InlineData(OutputSelection.HiddenState, 4 * 32)] // the features in are then the larger message
    public void TokenBytes_of_a_feature_model_is_the_larger_of_input_and_output(OutputSelection outputs, int expected)
    {
        Assert.Equal(expected, new JobShape(FeatureModel, 100, outputs, 0f).TokenBytes);
    }

    [Fact]
    public void A_ragged_outputs_parts_are_sized_by_the_footers_mean_steps_a_padded_ones_by_T()
    {
        var ragged = new JobShape(FeatureModel, 100, OutputSelection.Output, 0f) { Layout = OutputLayout.Ragged };
        var padded = ragged with { Layout = OutputLayout.Padded };

        // 10 rows of 32 features a step, 6,400 values: 20 steps a row, 64 floats each.
        Assert.Equal(4L * 64 * 20, ragged.MeanRowBytes(10, 6_400, 32));
        Assert.Equal(padded.RowBytes, padded.MeanRowBytes(10, 6_400, 32));
        Assert.Equal(4L * 64 * 100, padded.RowBytes);
        Assert.Equal(0, ragged.MeanRowBytes(0, 0, 32));
    }

    [Fact]
    public void A_ragged_output_sizes_windows_by_steps_and_its_rows_by_their_fixed_results()
    {
        var shape = new JobShape(TokenModel, 100, OutputSelection.Output | OutputSelection.HiddenState, 0f) { Layout = OutputLayout.Ragged };
        var settings = new CoordinatorOptions { WindowBytes = 1 << 20 };

        Assert.Null(shape.OutputRowSize);
        Assert.Equal(512, shape.OutputStepSize);
        Assert.Equal(4L * 4 * 256, shape.RowBytes);           // h_n only: L·D × H_out
        Assert.Equal((1 << 20) / (4 * 512), shape.WindowSteps(settings));
        Assert.Equal((1 << 20) / (4 * 4 * 256), shape.WindowRows(settings));
    }

    [Fact]
    public void Pooled_vectors_are_row_results_and_leave_windows_uncut_by_steps()
    {
        var shape = new JobShape(TokenModel, 0, OutputSelection.PooledMean | OutputSelection.PooledMax, 0f);

        Assert.Equal(4L * 2 * 512, shape.RowBytes);
        Assert.Equal(long.MaxValue, shape.WindowSteps(new CoordinatorOptions()));
        Assert.Null(shape.OutputStepLimit);
    }

    [Fact]
    public void A_total_length_too_long_to_pad_is_refused_naming_the_ragged_layout_but_a_ragged_job_takes_it()
    {
        var padded = new JobShape(TokenModel, int.MaxValue / 100, OutputSelection.Output, 0f);

        var error = Assert.Throws<ArgumentException>(padded.CheckTotalLength);

        Assert.Contains("--output-layout ragged", error.Message);
        (padded with { Layout = OutputLayout.Ragged }).CheckTotalLength();
    }
}
