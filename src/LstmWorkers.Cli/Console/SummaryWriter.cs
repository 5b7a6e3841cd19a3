using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Cli.Console;

/// <summary>The closing summary of a job.</summary>
public static class SummaryWriter
{
    public static void Write(TextWriter writer, EncodeJobSummary summary)
    {
        writer.WriteLine($"wrote {summary.OutputPath}: {summary.Rows:N0} rows, {summary.Tokens:N0} tokens, T = {summary.TotalLength}");
        writer.WriteLine($"  {summary.Batches:N0} batches on {(summary.Devices.Count == 0 ? "no device (no non-empty batch)" : string.Join(", ", summary.Devices))}");
        writer.WriteLine($"  {summary.Elapsed.TotalSeconds:F2} s, {ProgressDisplay.Rate(summary.TokensPerSecond)} tokens/s");
        writer.WriteLine($"  padding avoided: {summary.PaddedSteps - summary.Tokens:N0} of {summary.PaddedSteps:N0} steps " +
                         $"({100 * summary.PaddingAvoided:F1}%) that padding every row to T would have computed");
    }
}
