namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The figures of a finished job.</summary>
/// <param name="PaddedSteps">Rows × T: the steps an LSTM fed every row padded to T would run.</param>
/// <param name="Devices">The devices the workers reported.</param>
public sealed record EncodeJobSummary(
    string OutputPath,
    long Rows,
    long Tokens,
    int TotalLength,
    long PaddedSteps,
    int Batches,
    TimeSpan Elapsed,
    IReadOnlyList<string> Devices)
{
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? Tokens / Elapsed.TotalSeconds : 0;

    /// <summary>Fraction of <see cref="PaddedSteps"/> that packing by length did not compute.</summary>
    public double PaddingAvoided => PaddedSteps > 0 ? 1.0 - (double)Tokens / PaddedSteps : 0;
}
