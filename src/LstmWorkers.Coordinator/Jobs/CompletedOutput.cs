using System.Globalization;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>The last step of every output: renamed into place only when it holds one row per input row.</summary>
internal static class CompletedOutput
{
    /// <exception cref="IOException">The output does not hold <paramref name="inputRows"/> rows; it stays under its temporary name, to be deleted.</exception>
    public static Task CompleteAsync(EncodingWriter output, long inputRows, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (output.RowsWritten != inputRows)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"{output.Path}: the job put {output.RowsWritten:N0} rows in the output but the input has {inputRows:N0} (did an input file change while the job ran?); nothing was written there"));
        }

        return output.CompleteAsync(metadata, cancellationToken);
    }
}
