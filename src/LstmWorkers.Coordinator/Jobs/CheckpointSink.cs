using System.Globalization;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Windows kept as one finished file each in a job's checkpoint directory, so that a coordinator restarted mid-job
/// redoes only the windows it had not finished. A window's file is named after its rows (<c>rows-&lt;first&gt;-&lt;count&gt;.parquet</c>)
/// and the directory's <c>source.json</c> records what the windows were made from (<see cref="CheckpointSource"/>):
/// a rerun whose source differs starts afresh, and one whose windows are cut otherwise (another
/// <see cref="CoordinatorOptions.WindowRows"/>) redoes those. On completion the windows are copied, row group for row
/// group, into the output file (the same bytes a direct write gives), which is renamed into place only when it holds
/// every input row; then the directory is removed. Every file here is written durably (file and directory synced).
/// </summary>
public sealed class CheckpointSink : IWindowSink
{
    private const string SourceFile = "source.json";
    private readonly string _directory;
    private readonly string _outputPath;
    private readonly OutputSchema _schema;

    private CheckpointSink(string directory, string outputPath, OutputSchema schema)
    {
        _directory = directory;
        _outputPath = outputPath;
        _schema = schema;
    }

    /// <summary>The sink of a job whose windows are made from <paramref name="source"/>: windows kept from another source are deleted.</summary>
    public static CheckpointSink Open(string directory, string outputPath, OutputSchema schema, CheckpointSource source)
    {
        byte[] recorded = source.ToJson();
        string sourcePath = Path.Combine(directory, SourceFile);
        if (!File.Exists(sourcePath) || !File.ReadAllBytes(sourcePath).AsSpan().SequenceEqual(recorded))
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            DurableFiles.CreateDirectory(directory);
            DurableFiles.Write(sourcePath, recorded);
        }

        return new CheckpointSink(directory, outputPath, schema);
    }

    /// <summary>Removes a job's checkpoint directory, if there is one.</summary>
    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public bool HasWindow(WindowSpan window) => File.Exists(WindowPath(window));

    public async Task WriteWindowAsync(WindowSpan window, EncodedChunk results, CancellationToken cancellationToken)
    {
        await using (var writer = await EncodingWriter.CreateAsync(WindowPath(window), _schema, cancellationToken))
        {
            await writer.WriteAsync(results, cancellationToken);
            await writer.CompleteAsync(cancellationToken: cancellationToken);
        }

        DurableFiles.SyncDirectory(_directory);
    }

    public async Task CompleteAsync(IReadOnlyList<WindowSpan> windows, long inputRows, IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        await using (var output = await EncodingWriter.CreateAsync(_outputPath, _schema, cancellationToken))
        {
            foreach (var window in windows)
            {
                long before = output.RowsWritten;
                await foreach (var chunk in EncodingReader.ReadAsync(WindowPath(window), cancellationToken))
                {
                    await output.WriteAsync(chunk, cancellationToken);
                }

                if (output.RowsWritten - before != window.Rows)
                {
                    throw new IOException(string.Create(CultureInfo.InvariantCulture,
                        $"{WindowPath(window)}: the checkpoint holds {output.RowsWritten - before:N0} rows, not the {window.Rows:N0} of its name; nothing was written at {_outputPath}"));
                }
            }

            await CompletedOutput.CompleteAsync(output, inputRows, metadata, cancellationToken);
        }

        Directory.Delete(_directory, recursive: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string WindowPath(WindowSpan window) => Path.Combine(_directory,
        string.Create(CultureInfo.InvariantCulture, $"rows-{window.FirstRow:D12}-{window.Rows}.parquet"));
}
