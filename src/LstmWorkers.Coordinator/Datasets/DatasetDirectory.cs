using System.Globalization;
using System.Text.RegularExpressions;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Datasets;

/// <summary>
/// The layout of a dataset output (contract §6), after Hadoop's FileOutputCommitter:
/// <code>
/// DIR/part-00000.parquet …     the parts, at the top only once the job commits
/// DIR/_SUCCESS                 written last
/// DIR/_temporary/source.json   what the parts in progress are made from (<see cref="Jobs.CheckpointSource"/>)
/// DIR/_temporary/attempt-ID/   one attempt at one shard, writing its part
/// DIR/_temporary/committed/    parts of finished shards, each moved in by a rename that never replaces
/// DIR/_temporary/committing    present once the job commit has started moving parts to the top
/// </code>
/// Readers skip names starting with <c>_</c>, so nothing in progress is ever read as data.
/// </summary>
internal sealed partial class DatasetDirectory
{
    public const string SuccessName = "_SUCCESS";
    public const string TemporaryName = "_temporary";

    public DatasetDirectory(string path) => Path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));

    /// <summary>The directory (full path, no trailing separator).</summary>
    public string Path { get; }

    public string Temporary => System.IO.Path.Combine(Path, TemporaryName);

    public string Committed => System.IO.Path.Combine(Temporary, "committed");

    public string SourceFile => System.IO.Path.Combine(Temporary, "source.json");

    public string CommitMarker => System.IO.Path.Combine(Temporary, "committing");

    public string Success => System.IO.Path.Combine(Path, SuccessName);

    /// <summary><c>part-00000.parquet</c>: at least five digits, so that name order is part order up to 100,000 parts.</summary>
    public static string PartName(int index) => string.Create(CultureInfo.InvariantCulture, $"part-{index:D5}.parquet");

    public string Part(int index) => System.IO.Path.Combine(Path, PartName(index));

    public string CommittedPart(int index) => System.IO.Path.Combine(Committed, PartName(index));

    /// <summary>The parts at the top of the directory, by index.</summary>
    public IEnumerable<(int Index, string Path)> Parts() => Directory.Exists(Path)
        ? Directory.EnumerateFiles(Path).Select(path => (Match: PartPattern().Match(System.IO.Path.GetFileName(path)), path))
            .Where(p => p.Match.Success && int.TryParse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture, out _))
            .Select(p => (int.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture), p.path))
        : [];

    /// <summary>
    /// Refuses, before any work, a directory that holds anything but a previous lstmw dataset (its parts, <c>_SUCCESS</c>,
    /// <c>_temporary</c>), and a previous dataset unless <paramref name="overwrite"/> or its job commit was interrupted
    /// (the job resumed finishes it). A path that does not exist yet is accepted.
    /// </summary>
    /// <exception cref="ArgumentException">The path is refused; the message says why and what to give instead.</exception>
    public static async Task<DatasetDirectory> CheckAsync(string path, bool overwrite, CancellationToken cancellationToken)
    {
        var directory = new DatasetDirectory(path);
        if (File.Exists(directory.Path))
        {
            throw new ArgumentException($"{directory.Path}: --out names a dataset directory, but a file is there");
        }

        if (!Directory.Exists(directory.Path))
        {
            return directory;
        }

        bool previous = false;
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory.Path))
        {
            string name = System.IO.Path.GetFileName(entry);
            bool known = name switch
            {
                TemporaryName => Directory.Exists(entry),
                SuccessName => File.Exists(entry),
                _ => PartPattern().IsMatch(name) && File.Exists(entry) && await IsPartAsync(entry, cancellationToken),
            };
            if (!known)
            {
                throw new ArgumentException(
                    $"{directory.Path} holds '{name}', which is not part of an lstmw dataset; give a new or empty directory, or one that holds an lstmw dataset");
            }

            previous |= name != TemporaryName;
        }

        if (previous && !overwrite && !File.Exists(directory.CommitMarker))
        {
            throw new ArgumentException($"{directory.Path} holds a previous lstmw dataset; pass --overwrite to replace it");
        }

        return directory;
    }

    /// <summary>True for a part an lstmw job wrote: a Parquet file whose metadata names the format version.</summary>
    private static async Task<bool> IsPartAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await FooterMetadata.ReadAsync(path, cancellationToken)).ContainsKey(EncodingMetadata.Version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // not a Parquet file, or not one that can be read: not ours
            return false;
        }
    }

    [GeneratedRegex(@"^part-(\d{5,})\.parquet$", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
