using LstmWorkers.Core.Models;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The per-row widths of a job's results, fixed once T and the model are known.</summary>
public sealed record JobShape(LstmConfig Config, int TotalLength, OutputSelection Outputs, float PaddingValue)
{
    /// <summary>D·H_out: one step of <c>output</c>.</summary>
    public int StepWidth => Config.NumDirections * Config.OutputSize;

    /// <summary>L·D: the first dimension of h_n and c_n.</summary>
    public int StateLayers => Config.NumLayers * Config.NumDirections;

    public int OutputRowSize => Outputs.HasFlag(OutputSelection.Output) ? TotalLength * StepWidth : 0;

    public int HiddenRowSize => Outputs.HasFlag(OutputSelection.HiddenState) ? StateLayers * Config.OutputSize : 0;

    public int CellRowSize => Outputs.HasFlag(OutputSelection.CellState) ? StateLayers * Config.HiddenSize : 0;

    /// <summary>
    /// The bytes a token adds to the larger of a batch's two messages: its input (a token id, or I features) on the way
    /// in, its step of <c>output</c> on the way back, when the job writes <c>output</c> (h_n and c_n grow with rows, not tokens).
    /// </summary>
    public int TokenBytes => 4 * Math.Max(Config.HasEmbedding ? 1 : Config.InputSize, Outputs.HasFlag(OutputSelection.Output) ? StepWidth : 0);

    /// <summary>Bytes of results per row, to size windows.</summary>
    public long RowBytes => 4L * (OutputRowSize + HiddenRowSize + CellRowSize);
}
