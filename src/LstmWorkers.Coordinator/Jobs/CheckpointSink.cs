using System.Globalization;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Windows kept as one finished file each in a job's checkpoint directory, so that a coordinator
/// restarted mid-job redoes only the windows it had not finished; on completion the windows are
/// copied, row group for row group, into the output file (the same bytes a direct write gives)
/// and the directory is removed.
/// </summary>
public sealed class CheckpointSink(string directory, string outputPath, OutputSchema schema) : IWindowSink
{
    public bool HasWindow(int index) => File.Exists(WindowPath(index));

    public async Task WriteWindowAsync(int index, EncodedChunk window, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await using var writer = await EncodingWriter.CreateAsync(WindowPath(index), schema, cancellationToken);
        await writer.WriteAsync(window, cancellationToken);
        await writer.CompleteAsync(cancellationToken: cancellationToken);
    }

    public async Task CompleteAsync(int windowCount, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await using (var output = await EncodingWriter.CreateAsync(outputPath, schema, cancellationToken))
        {
            for (int index = 0; index < windowCount; index++)
            {
                await foreach (var chunk in EncodingReader.ReadAsync(WindowPath(index), cancellationToken))
                {
                    await output.WriteAsync(chunk, cancellationToken);
                }
            }

            await output.CompleteAsync(metadata, cancellationToken);
        }

        Directory.Delete(directory, recursive: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string WindowPath(int index) => Path.Combine(directory, $"window-{index.ToString("D6", CultureInfo.InvariantCulture)}.parquet");
}
