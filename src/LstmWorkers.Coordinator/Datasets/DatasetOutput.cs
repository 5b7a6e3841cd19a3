using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Datasets;

/// <summary>
/// A dataset of parts (contract §6), one per shard, in any mode. Each shard's part is written and committed under
/// <c>_temporary</c> (<see cref="PartSink"/>); a rerun of the job — a restarted coordinator, or the same command again —
/// made from the same source skips the parts already committed; the job commit (<see cref="DatasetCommit"/>) then moves
/// every part to the top and writes <c>_SUCCESS</c>. Nothing named <c>part-*</c> stands at the top before that, and a
/// failed job's work is removed (<see cref="Discard"/>).
/// </summary>
public sealed class DatasetOutput : IJobOutput
{
    private readonly DatasetDirectory _directory;
    private readonly long? _rowsPerPart;
    private readonly bool _overwrite;
    private bool _created;
    private bool _started;

    private DatasetOutput(DatasetDirectory directory, long? rowsPerPart, bool overwrite)
    {
        _directory = directory;
        _rowsPerPart = rowsPerPart;
        _overwrite = overwrite;
    }

    public string Path => _directory.Path;

    /// <summary>True when <c>--out</c> names a dataset: <paramref name="given"/> ends in a separator, or <paramref name="resolved"/> is a directory.</summary>
    public static bool IsNamedBy(string given, string resolved) => System.IO.Path.EndsInDirectorySeparator(given) || Directory.Exists(resolved);

    /// <summary>The output of a dataset at <paramref name="path"/>, refused at once when the directory holds anything else
    /// (<see cref="DatasetDirectory.CheckAsync"/>).</summary>
    /// <param name="rowsPerPart">The most rows of a part; null: about <see cref="ShardPlanner.DefaultPartBytes"/> of results.</param>
    /// <exception cref="ArgumentException">The directory is refused.</exception>
    public static async Task<DatasetOutput> OpenAsync(string path, long? rowsPerPart, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerPart ?? 1, 1, nameof(rowsPerPart));
        return new DatasetOutput(await DatasetDirectory.CheckAsync(path, overwrite, cancellationToken), rowsPerPart, overwrite);
    }

    /// <summary>The output of a dataset job another coordinator started (<see cref="StartAsync"/>), for a coordinator that
    /// encodes some of its shards or finishes it: nothing is checked or reset, and <see cref="Discard"/> removes the job's work.</summary>
    public static DatasetOutput Attach(string path, long? rowsPerPart) =>
        new(new DatasetDirectory(path), rowsPerPart, overwrite: false) { _started = true };

    /// <summary>True once the job commit has begun (or ended): the shards are all committed, and the dataset is being made complete.</summary>
    public bool Committing => File.Exists(_directory.CommitMarker) || File.Exists(_directory.Success);

    public long? RowsPerShard(long rowBytes) => _rowsPerPart ?? ShardPlanner.DefaultRowsPerPart(rowBytes);

    /// <summary>Keeps <c>_temporary</c> when it holds parts made from <paramref name="source"/>; otherwise starts it afresh.</summary>
    public Task StartAsync(CheckpointSource source, CancellationToken cancellationToken)
    {
        byte[] recorded = source.ToJson();
        bool same = File.Exists(_directory.SourceFile) && File.ReadAllBytes(_directory.SourceFile).AsSpan().SequenceEqual(recorded);
        if (!same)
        {
            if (File.Exists(_directory.CommitMarker) && !_overwrite)
            {
                throw new ArgumentException($"{Path} holds a previous lstmw dataset whose commit was interrupted; pass --overwrite to replace it");
            }

            _created |= !Directory.Exists(Path);
            DatasetCommit.DeleteTemporary(_directory);
            DurableFiles.CreateDirectory(_directory.Temporary);
            DurableFiles.Write(_directory.SourceFile, recorded);
        }

        DurableFiles.CreateDirectory(_directory.Committed);
        _started = true;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The figures of a part committed by an earlier run (its <c>length</c> column), when it holds the shard's rows; a
    /// part that cannot be read or holds other rows is deleted, to be made again.
    /// </summary>
    public async Task<ShardTally?> FindCommittedAsync(Shard shard, CancellationToken cancellationToken)
    {
        string committed = _directory.CommittedPart(shard.Index);
        string? path = File.Exists(committed) ? committed
            : File.Exists(_directory.CommitMarker) && File.Exists(_directory.Part(shard.Index)) ? _directory.Part(shard.Index)
            : null;
        if (path is null)
        {
            return null;
        }

        int[]? lengths;
        try
        {
            lengths = await EncodingReader.ReadLengthsAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lengths = null; // a part that cannot be read: made again
        }

        if (lengths is null || lengths.Length != shard.Rows.Count)
        {
            File.Delete(path);
            return null;
        }

        return new ShardTally(lengths.Length, lengths.Sum(l => (long)l), lengths.Length == 0 ? 0 : lengths.Max(), 0);
    }

    public async Task<IWindowSink> OpenShardAsync(Shard shard, OutputSchema schema, CancellationToken cancellationToken) =>
        await PartSink.CreateAsync(_directory, shard.Index, schema, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<Shard> shards, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        DatasetCommit.CommitAsync(_directory, shards.Count, metadata, cancellationToken);

    /// <summary>Removes <c>_temporary</c>; when the job commit had begun, the parts already at the top too; and the directory when this job made it and it is empty.</summary>
    public void Discard()
    {
        if (!_started)
        {
            return;
        }

        DatasetCommit.Abort(_directory);
        if (_created && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any())
        {
            Directory.Delete(Path);
        }
    }
}
