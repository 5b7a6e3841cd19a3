namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// The directories a submitted job may read and write: every path is made absolute (against the
/// first root) and normalised — so <c>..</c> cannot climb out — and must then lie inside a root.
/// </summary>
public sealed class DataRoots
{
    private readonly string[] _roots;

    public DataRoots(IEnumerable<string> roots)
    {
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
        if (_roots.Length == 0)
        {
            throw new ArgumentException("at least one data root is needed", nameof(roots));
        }
    }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The absolute path of <paramref name="path"/>, or an <see cref="UnauthorizedAccessException"/> naming the roots.</summary>
    public string Resolve(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"the {what} path is empty");
        }

        string full = Path.GetFullPath(path, _roots[0]);
        foreach (string root in _roots)
        {
            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return full;
            }
        }

        throw new UnauthorizedAccessException(
            $"the {what} path '{path}' resolves to '{full}', which is outside the coordinator's data roots ({string.Join(", ", _roots)})");
    }
}
