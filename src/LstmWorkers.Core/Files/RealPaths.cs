namespace LstmWorkers.Core.Files;

/// <summary>
/// The real path of an absolute path, the way the kernel walks it: each part in turn, every symbolic link replaced by
/// its target (a relative target read from the link's directory), <c>..</c> taken after the links before it. Parts that
/// do not exist yet (a new output) are kept as written after the real path of the nearest existing ancestor, and a
/// dangling link is followed too, so whatever the path will create lies at the returned path. The result holds no
/// symbolic link in any part that exists.
/// </summary>
internal static class RealPaths
{
    /// <summary>Linux's limit on the links one path may go through (MAXSYMLINKS); more means a loop.</summary>
    private const int MaxLinks = 40;

    public static string Of(string fullPath)
    {
        var pending = new Stack<string>(Parts(fullPath).Reverse());
        string current = Path.GetPathRoot(fullPath) ?? throw new ArgumentException($"'{fullPath}' is not an absolute path");
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new ArgumentException($"the path '{fullPath}' goes through more than {MaxLinks} symbolic links (a loop?)");
                }

                foreach (string targetPart in Parts(target).Reverse())
                {
                    pending.Push(targetPart);
                }

                current = Path.GetPathRoot(target) is { Length: > 0 } root ? root : current;
                continue;
            }

            current = next;
        }

        return current;
    }

    private static string[] Parts(string path) => path.Split(Path.DirectorySeparatorChar);
}
