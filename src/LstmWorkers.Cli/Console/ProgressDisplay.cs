using System.Diagnostics;
using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Cli.Console;

/// <summary>
/// Shows a job's progress: one line redrawn in place on a terminal (at most 10 times a second),
/// or a plain line every 10 seconds when the stream is a file or pipe.
/// </summary>
public sealed class ProgressDisplay(TextWriter writer, bool interactive) : IProgress<EncodeJobProgress>, IDisposable
{
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private readonly TimeSpan _interval = interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(10);
    private int _drawnWidth;
    private long _lastRowsDone = -1;

    public void Report(EncodeJobProgress value)
    {
        bool done = value.RowsTotal > 0 && value.RowsDone >= value.RowsTotal;
        if (value.RowsTotal == 0 || (done ? value.RowsDone == _lastRowsDone : _sinceLastLine.Elapsed < _interval))
        {
            return;
        }

        _sinceLastLine.Restart();
        _lastRowsDone = value.RowsDone;
        string line = Format(value);
        if (interactive)
        {
            writer.Write("\r" + line.PadRight(_drawnWidth));
            _drawnWidth = line.Length;
        }
        else
        {
            writer.WriteLine(line);
        }

        writer.Flush();
    }

    /// <summary>Ends the redrawn line so that what follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (_drawnWidth > 0)
        {
            writer.WriteLine();
            _drawnWidth = 0;
        }
    }

    public void Dispose() => Finish();

    public static string Format(EncodeJobProgress progress)
    {
        double percent = progress.RowsTotal > 0 ? 100.0 * progress.RowsDone / progress.RowsTotal : 100;
        string eta = progress.Remaining is { } remaining ? $", ETA {remaining:hh\\:mm\\:ss}" : "";
        return $"encoding: {progress.RowsDone:N0}/{progress.RowsTotal:N0} rows ({percent:F1}%), " +
               $"{progress.TokensDone:N0} tokens, {Rate(progress.TokensPerSecond)} tokens/s{eta}";
    }

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => $"{perSecond / 1e6:F2}M",
        >= 1e3 => $"{perSecond / 1e3:F1}k",
        _ => $"{perSecond:F0}",
    };
}
