using LstmWorkers.Core.Limits;

namespace LstmWorkers.Data.Input;

/// <summary>
/// The most time steps a row may have because one of its results grows with them: a row whose
/// <see cref="StepWidth"/> values per step, over all its steps, cannot fit in one array is refused by the reader,
/// naming the row, so that a job finds it before any work.
/// </summary>
/// <param name="Result">What grows, as a message names it, e.g. <c>its 'output'</c>.</param>
/// <param name="StepWidth">Values per time step of that result.</param>
/// <param name="Remedy">The way out, e.g. <c>leave 'output' out: --outputs h_n,c_n</c>.</param>
public sealed record StepLimit(string Result, int StepWidth, string Remedy)
{
    /// <summary>The most steps a row may have.</summary>
    public int MaxSteps => SizeLimits.MaxElements / Math.Max(1, StepWidth);

    /// <summary>Why a row of <paramref name="steps"/> steps is refused.</summary>
    public string Describe(int steps) =>
        $"the sequence has {steps} time steps: {Result} would hold {steps} × {StepWidth} = {(long)steps * StepWidth} floats; " +
        $"at most {SizeLimits.MaxElements} fit in one row ({Remedy})";
}
