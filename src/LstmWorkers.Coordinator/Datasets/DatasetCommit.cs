using System.Globalization;
using System.Text;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Datasets;

/// <summary>
/// The job commit of a dataset, once every part is committed under <c>_temporary</c>, in steps that a rerun after a
/// crash at any point repeats to the same end:
/// <list type="number">
/// <item>every committed part whose key-value metadata is not the job's (T, when it was found only as the shards ran:
/// each part recorded its own longest row) gets the job's, in its footer alone (<see cref="FooterMetadata.Replace"/>), its
/// length journaled first so that a replacement cut short is undone and done again;</item>
/// <item>the marker <c>_temporary/committing</c> is written: from now on a part missing from <c>committed/</c> is at the top;</item>
/// <item>a previous dataset's <c>_SUCCESS</c> is removed, every committed part is renamed to the top (replacing a previous
/// part of its name), and a previous dataset's parts beyond the job's are removed;</item>
/// <item><c>_SUCCESS</c> is written, then <c>_temporary</c> is removed.</item>
/// </list>
/// </summary>
internal static class DatasetCommit
{
    /// <exception cref="IOException">A part is missing: the plan and the committed parts disagree.</exception>
    public static async Task CommitAsync(DatasetDirectory directory, int parts, IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(directory.CommitMarker))
        {
            for (int index = 0; index < parts; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string part = directory.CommittedPart(index);
                if (!File.Exists(part))
                {
                    throw new IOException($"{part}: the part is missing from the committed ones; nothing was written at {directory.Path}");
                }

                await ReplaceMetadataAsync(part, metadata, cancellationToken);
            }

            DurableFiles.Write(directory.CommitMarker, []);
        }

        File.Delete(directory.Success);
        for (int index = 0; index < parts; index++)
        {
            if (File.Exists(directory.CommittedPart(index)))
            {
                PartCommits.Publish(directory.CommittedPart(index), directory.Part(index));
            }
        }

        foreach (var (_, path) in directory.Parts().Where(p => p.Index >= parts).ToArray())
        {
            File.Delete(path);
        }

        DurableFiles.SyncDirectory(directory.Path);
        using (var success = new FileStream(directory.Success, FileMode.Create, FileAccess.Write))
        {
            success.Flush(flushToDisk: true);
        }

        DurableFiles.SyncDirectory(directory.Path);
        DeleteTemporary(directory);
    }

    /// <summary>Where the length a committed part had before its footer is replaced is kept until the replacement is on disk.</summary>
    public static string JournalOf(string part) => part + ".length";

    /// <summary>
    /// Gives <paramref name="part"/> the job's metadata unless it has it. Its length is journaled first: a replacement cut
    /// short leaves a file whose end is no footer, and the next commit cuts the file back to that length (its old footer,
    /// still whole) before it tries again.
    /// </summary>
    private static async Task ReplaceMetadataAsync(string part, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        string journal = JournalOf(part);
        if (File.Exists(journal))
        {
            using var handle = File.OpenHandle(part, FileMode.Open, FileAccess.Write);
            RandomAccess.SetLength(handle, long.Parse(File.ReadAllText(journal), CultureInfo.InvariantCulture));
            RandomAccess.FlushToDisk(handle);
        }

        var current = await FooterMetadata.ReadAsync(part, cancellationToken);
        if (current.Count != metadata.Count || metadata.Any(kv => !current.TryGetValue(kv.Key, out var value) || value != kv.Value))
        {
            DurableFiles.Write(journal, Encoding.UTF8.GetBytes(new FileInfo(part).Length.ToString(CultureInfo.InvariantCulture)));
            FooterMetadata.Replace(part, metadata);
        }

        File.Delete(journal);
    }

    /// <summary>Undoes a failed job: removes <c>_temporary</c>, and, when the commit had begun moving parts, every part at the top and <c>_SUCCESS</c>.</summary>
    public static void Abort(DatasetDirectory directory)
    {
        if (File.Exists(directory.CommitMarker))
        {
            File.Delete(directory.Success);
            foreach (var (_, path) in directory.Parts().ToArray())
            {
                File.Delete(path);
            }
        }

        DeleteTemporary(directory);
    }

    public static void DeleteTemporary(DatasetDirectory directory)
    {
        if (Directory.Exists(directory.Temporary))
        {
            Directory.Delete(directory.Temporary, recursive: true);
        }
    }
}
