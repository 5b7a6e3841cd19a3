using LstmWorkers.Data.Input.Columns;

namespace LstmWorkers.Data.Input;

/// <summary>Turns an INPUT argument into the dataset's files, in the order their rows are numbered (contract §2).</summary>
public static class DatasetFiles
{
    /// <summary>
    /// Resolves <paramref name="input"/>:
    /// <list type="bullet">
    /// <item>a file: that file;</item>
    /// <item>a directory: every <c>*.parquet</c> file directly inside, skipping names that start with <c>_</c> or <c>.</c>;</item>
    /// <item>a glob with <c>*</c> and <c>?</c> in the file-name part (not in the directories): the matching files, skipping
    /// names that start with <c>_</c> or <c>.</c> unless the pattern itself starts with that character.</item>
    /// </list>
    /// Files are in ordinal order of their names' UTF-8 bytes (not natural order). Paths are returned in full.
    /// </summary>
    /// <exception cref="InputDataException">The path does not exist, or nothing matches.</exception>
    public static IReadOnlyList<string> Resolve(string input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        string fileNamePart = Path.GetFileName(input);
        string directoryPart = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";

        if (Glob.HasWildcards(directoryPart) && !Directory.Exists(directoryPart))
        {
            throw new InputDataException("wildcards are allowed only in the file name, not in the directories", file: input);
        }
        if (Glob.HasWildcards(fileNamePart) && !File.Exists(input))
        {
            if (!Directory.Exists(directoryPart))
            {
                throw new InputDataException($"directory '{directoryPart}' does not exist", file: input);
            }
            bool allowHidden = fileNamePart[0] is '_' or '.';
            return Sorted(Directory.EnumerateFiles(directoryPart)
                .Where(p => Glob.IsMatch(fileNamePart, Path.GetFileName(p)) && (allowHidden || !IsHidden(Path.GetFileName(p)))),
                input, "no file matches the pattern");
        }

        if (File.Exists(input))
        {
            return [Path.GetFullPath(input)];
        }
        if (Directory.Exists(input))
        {
            return Sorted(Directory.EnumerateFiles(input)
                .Where(p => Path.GetFileName(p) is var name && name.EndsWith(".parquet", StringComparison.Ordinal) && !IsHidden(name)),
                input, "the directory holds no *.parquet file (names starting with '_' or '.' are skipped)");
        }
        throw new InputDataException("no such file or directory", file: input);
    }

    private static bool IsHidden(string name) => name.Length > 0 && name[0] is '_' or '.';

    private static IReadOnlyList<string> Sorted(IEnumerable<string> paths, string input, string whenEmpty)
    {
        var list = paths.Select(Path.GetFullPath).ToList();
        if (list.Count == 0)
        {
            throw new InputDataException(whenEmpty, file: input);
        }
        list.Sort(OrdinalUtf8Comparer.Instance);
        return list;
    }
}
