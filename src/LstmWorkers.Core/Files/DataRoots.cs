namespace LstmWorkers.Core.Files;

/// <summary>
/// The directories a role lets a job's paths reach: a coordinator's for inputs, models and outputs, a worker's for
/// models. A path is made absolute (against the first root) and normalised, then checked by its real path, with every
/// symbolic link followed to its final target (a part that does not exist yet, such as a new output, kept as written
/// after the real path of its nearest existing ancestor; <see cref="RealPaths"/>): it must be a root or lie inside one.
/// The roots are real paths too, so a link inside a root cannot lead out of it, and <c>/</c> admits every path. The
/// real path is what is returned and what the job then uses, so what was checked is what is opened. Thread-safe.
/// </summary>
public sealed class DataRoots
{
    private readonly string[] _roots;
    private readonly string _owner;

    /// <param name="owner">Whose roots they are, for messages: "coordinator", "worker".</param>
    public DataRoots(IEnumerable<string> roots, string owner)
    {
        _owner = owner;
        _roots = roots.Select(r => RealPaths.Of(Path.GetFullPath(r))).ToArray();
        if (_roots.Length == 0)
        {
            throw new ArgumentException($"the {owner} needs at least one data root", nameof(roots));
        }
    }

    /// <summary>The roots' real paths.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The real path of a file or directory to write or to list, which need not exist yet.</summary>
    /// <exception cref="ArgumentException">The path is empty, or its real path lies outside every root.</exception>
    public string Resolve(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"the {what} path is empty");
        }

        string real = RealPaths.Of(Path.GetFullPath(path, _roots[0]));
        return _roots.Any(root => IsWithin(real, root))
            ? real
            : throw new ArgumentException(
                $"the {what} path '{path}' resolves to '{real}', which is outside the {_owner}'s data roots ({string.Join(", ", _roots)})");
    }

    /// <summary>
    /// The real path of a file to read: inside the roots as for <see cref="Resolve"/>, and an existing regular file —
    /// not a directory, FIFO, device or socket, whose reading could wait for ever or never end.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Resolve"/>; or the file does not exist or is not a regular file.</exception>
    public string ResolveFile(string path, string what)
    {
        string real = Resolve(path, what);
        return FileKinds.Of(real) switch
        {
            FileKind.Regular => real,
            FileKind.Missing => throw new ArgumentException($"the {what} file '{real}' does not exist"),
            var kind => throw new ArgumentException($"the {what} file '{real}' is {kind.Describe()}, not a regular file"),
        };
    }

    /// <summary>The first root that <paramref name="path"/>'s real path lies in, or that lies in it; null when none does.</summary>
    public string? Overlapping(string path)
    {
        string real = RealPaths.Of(Path.GetFullPath(path));
        return _roots.FirstOrDefault(root => IsWithin(real, root) || IsWithin(root, real));
    }

    private static bool IsWithin(string path, string root) =>
        path == root || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
