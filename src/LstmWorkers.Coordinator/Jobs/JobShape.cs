using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Models;
using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The per-row widths of a job's results, fixed once T and the model are known.</summary>
public sealed record JobShape(LstmConfig Config, int TotalLength, OutputSelection Outputs, float PaddingValue)
{
    /// <summary>D·H_out: one step of <c>output</c>.</summary>
    public int StepWidth => Config.NumDirections * Config.OutputSize;

    /// <summary>L·D: the first dimension of h_n and c_n.</summary>
    public int StateLayers => Config.NumLayers * Config.NumDirections;

    /// <summary>T·D·H_out when the job writes <c>output</c> (0 when every row is empty), else null.</summary>
    public int? OutputRowSize => Outputs.HasFlag(OutputSelection.Output) ? checked(TotalLength * StepWidth) : null;

    public int? HiddenRowSize => Outputs.HasFlag(OutputSelection.HiddenState) ? checked(StateLayers * Config.OutputSize) : null;

    public int? CellRowSize => Outputs.HasFlag(OutputSelection.CellState) ? checked(StateLayers * Config.HiddenSize) : null;

    /// <summary>
    /// The longest row whose padded <c>output</c> fits in one array, for the reader to refuse longer rows by name; null
    /// when the job does not write <c>output</c> (rows of any length can then be encoded).
    /// </summary>
    public StepLimit? OutputStepLimit => Outputs.HasFlag(OutputSelection.Output)
        ? new StepLimit("its 'output'", StepWidth, "leave 'output' out with --outputs h_n,c_n, or cut rows with --total-length and --truncate")
        : null;

    /// <summary>
    /// The bytes a token adds to the larger of a batch's two messages: its input (a token id, or I features) on the way
    /// in, its step of <c>output</c> on the way back, when the job writes <c>output</c> (h_n and c_n grow with rows, not tokens).
    /// </summary>
    public int TokenBytes => 4 * Math.Max(Config.HasEmbedding ? 1 : Config.InputSize, Outputs.HasFlag(OutputSelection.Output) ? StepWidth : 0);

    /// <summary>Bytes of results per row, to size windows.</summary>
    public long RowBytes => 4L * ((long)(OutputRowSize ?? 0) + (HiddenRowSize ?? 0) + (CellRowSize ?? 0));

    /// <summary>The most rows a window may hold: each of its result arrays, rows × row size, must fit in one array.</summary>
    public int MaxWindowRows => SizeLimits.MaxElements / Math.Max(1, Math.Max(OutputRowSize ?? 0, Math.Max(HiddenRowSize ?? 0, CellRowSize ?? 0)));

    /// <summary>
    /// Refuses a <c>--total-length</c> whose padded rows cannot be held, before any work: T·D·H_out values per row must fit
    /// in one array.
    /// </summary>
    /// <exception cref="ArgumentException">T is too large for the model's output width.</exception>
    public void CheckTotalLength()
    {
        if (OutputStepLimit is { } limit && TotalLength > limit.MaxSteps)
        {
            throw new ArgumentException(
                $"--total-length {TotalLength}: each row's 'output' would hold {TotalLength} × {StepWidth} = {(long)TotalLength * StepWidth} floats; " +
                $"at most {SizeLimits.MaxElements} fit in one row (give at most --total-length {limit.MaxSteps}, or leave 'output' out: --outputs h_n,c_n)");
        }
    }
}
