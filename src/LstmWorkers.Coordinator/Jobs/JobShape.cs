using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Models;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The per-row widths of a job's results, fixed once T and the model are known.</summary>
public sealed record JobShape(LstmConfig Config, int TotalLength, OutputSelection Outputs, float PaddingValue)
{
    /// <summary>How <c>output</c> holds a row's steps, when the job writes it.</summary>
    public OutputLayout Layout { get; init; }

    /// <summary>D·H_out: one step of <c>output</c>, and one pooled vector.</summary>
    public int StepWidth => Config.NumDirections * Config.OutputSize;

    /// <summary>L·D: the first dimension of h_n and c_n.</summary>
    public int StateLayers => Config.NumLayers * Config.NumDirections;

    /// <summary>True when the job writes <c>output</c> with only each row's own steps.</summary>
    public bool RaggedOutput => Outputs.HasFlag(OutputSelection.Output) && Layout == OutputLayout.Ragged;

    /// <summary>T·D·H_out when the job writes a padded <c>output</c> (0 when every row is empty), else null.</summary>
    public int? OutputRowSize => Outputs.HasFlag(OutputSelection.Output) && !RaggedOutput ? checked(TotalLength * StepWidth) : null;

    /// <summary>D·H_out per step when the job writes a ragged <c>output</c> (a row of length n holds n of them), else null.</summary>
    public int? OutputStepSize => RaggedOutput ? StepWidth : null;

    public int? HiddenRowSize => Outputs.HasFlag(OutputSelection.HiddenState) ? checked(StateLayers * Config.OutputSize) : null;

    public int? CellRowSize => Outputs.HasFlag(OutputSelection.CellState) ? checked(StateLayers * Config.HiddenSize) : null;

    public int? PooledMeanRowSize => Outputs.HasFlag(OutputSelection.PooledMean) ? StepWidth : null;

    public int? PooledMaxRowSize => Outputs.HasFlag(OutputSelection.PooledMax) ? StepWidth : null;

    /// <summary>
    /// The longest row whose <c>output</c> (padded or ragged: a row's steps are one list either way) fits in one array, for
    /// the reader to refuse longer rows by name; null when the job does not write <c>output</c> (rows of any length can
    /// then be encoded).
    /// </summary>
    public StepLimit? OutputStepLimit => Outputs.HasFlag(OutputSelection.Output)
        ? new StepLimit("its 'output'", StepWidth,
            "leave 'output' out with --outputs h_n,c_n or pooled_mean,pooled_max, or cut rows with --total-length and --truncate")
        : null;

    /// <summary>
    /// The bytes a token adds to the larger of a batch's two messages: its input (a token id, or I features) on the way
    /// in, its step of <c>output</c> on the way back, when the job writes <c>output</c> (h_n, c_n and the pooled vectors grow
    /// with rows, not tokens).
    /// </summary>
    public int TokenBytes => 4 * Math.Max(Config.HasEmbedding ? 1 : Config.InputSize, Outputs.HasFlag(OutputSelection.Output) ? StepWidth : 0);

    /// <summary>Bytes of results every row has, whatever its length, to size windows.</summary>
    public long RowBytes => 4L * RowSizes.Sum(size => (long)size);

    /// <summary>
    /// Bytes of results a row of the input holds on average, ragged steps included, from the footers' count of the
    /// sequence column's <paramref name="values"/> over <paramref name="rows"/> rows (<paramref name="valuesPerStep"/>: 1 for
    /// token ids, I for features), to size a dataset's parts.
    /// </summary>
    public long MeanRowBytes(long rows, long values, int valuesPerStep) =>
        RowBytes + (rows == 0 ? 0 : StepBytes * (values / Math.Max(1, valuesPerStep) / rows));

    /// <summary>Bytes of results each step of a row adds (a ragged <c>output</c>'s), to size windows.</summary>
    public long StepBytes => 4L * (OutputStepSize ?? 0);

    /// <summary>The most rows a window may hold: each of its per-row result arrays, rows × row size, must fit in one array.</summary>
    public int MaxWindowRows => SizeLimits.MaxElements / Math.Max(1, RowSizes.DefaultIfEmpty(0).Max());

    /// <summary>The most steps a window may hold: a ragged <c>output</c>'s window array, steps × D·H_out, must fit in one array.</summary>
    public long MaxWindowSteps => OutputStepSize is { } size ? SizeLimits.MaxElements / size : long.MaxValue;

    /// <summary>Rows per window: as many as <see cref="CoordinatorOptions.WindowBytes"/> of per-row results allow, within the limits.</summary>
    public int WindowRows(CoordinatorOptions settings) =>
        (int)Math.Clamp(settings.WindowBytes / Math.Max(1, RowBytes), 1, Math.Min(settings.WindowRows, MaxWindowRows));

    /// <summary>Steps per window: as many as <see cref="CoordinatorOptions.WindowBytes"/> of per-step results allow (no cap
    /// when the results do not grow with steps); a window holds at least one row.</summary>
    public long WindowSteps(CoordinatorOptions settings) =>
        StepBytes == 0 ? long.MaxValue : Math.Clamp(settings.WindowBytes / StepBytes, 1, MaxWindowSteps);

    /// <summary>
    /// Refuses a <c>--total-length</c> whose padded rows cannot be held, before any work: T·D·H_out values per row must fit
    /// in one array. (A ragged <c>output</c> is never padded: its rows are checked one by one as they are read.)
    /// </summary>
    /// <exception cref="ArgumentException">T is too large for the model's output width.</exception>
    public void CheckTotalLength()
    {
        if (OutputStepLimit is { } limit && !RaggedOutput && TotalLength > limit.MaxSteps)
        {
            throw new ArgumentException(
                $"--total-length {TotalLength}: each row's 'output' would hold {TotalLength} × {StepWidth} = {(long)TotalLength * StepWidth} floats; " +
                $"at most {SizeLimits.MaxElements} fit in one row (give at most --total-length {limit.MaxSteps}, " +
                "write only each row's own steps with --output-layout ragged, or leave 'output' out: --outputs h_n,c_n)");
        }
    }

    /// <summary>The sizes of the results every row has whatever its length.</summary>
    private IEnumerable<int> RowSizes =>
        new[] { OutputRowSize, HiddenRowSize, CellRowSize, PooledMeanRowSize, PooledMaxRowSize }.OfType<int>();
}
