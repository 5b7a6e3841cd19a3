using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Coordinator.Tests.Jobs;

public class JobShapeTests
{
    // Embedding(32000, 256) → LSTM(256, 256, 2 layers, bidirectional): 4 bytes in per token, D·H_out = 512 floats out.
    private static readonly LstmConfig TokenModel = new(2, 256, 256, 0, true, true, 32000);

    // LSTM(32, 64): 32 features in per token, 64 floats out.
    private static readonly LstmConfig FeatureModel = new(1, 32, 64, 0, false, true, 0);

    [Theory]
    [InlineData(OutputSelection.All, 4 * 512)]
    [InlineData(OutputSelection.Output, 4 * 512)]
    [InlineData(OutputSelection.HiddenState, 4)] // no output column: a token costs only its id
    [InlineData(OutputSelection.HiddenState | OutputSelection.CellState, 4)]
    public void TokenBytes_of_a_token_model_counts_output_only_when_the_job_writes_it(OutputSelection outputs, int expected)
    {
        Assert.Equal(expected, new JobShape(TokenModel, 100, outputs, 0f).TokenBytes);
    }

    [Theory]
    [InlineData(OutputSelection.All, 4 * 64)]
    [InlineData(OutputSelection.HiddenState, 4 * 32)] // the features in are then the larger message
    public void TokenBytes_of_a_feature_model_is_the_larger_of_input_and_output(OutputSelection outputs, int expected)
    {
        Assert.Equal(expected, new JobShape(FeatureModel, 100, outputs, 0f).TokenBytes);
    }
}
