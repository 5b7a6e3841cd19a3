namespace LstmWorkers.Coordinator.Datasets;

/// <summary>The atomic steps that put a part in place, each durable once it returns.</summary>
internal static class PartCommits
{
    /// <summary>
    /// Moves a finished part to <paramref name="committed"/> unless a part is there already (then the finished one is
    /// deleted: the first commit wins). .NET's move without overwrite is a hard link then an unlink on Linux, which fails
    /// when the target exists: no two attempts can both place a part.
    /// </summary>
    /// <returns>False when another attempt had committed the part first.</returns>
    public static bool Commit(string finished, string committed)
    {
        DurableFiles.CreateDirectory(Path.GetDirectoryName(committed)!);
        try
        {
            File.Move(finished, committed, overwrite: false);
        }
        catch (IOException) when (File.Exists(committed))
        {
            File.Delete(finished);
            return false;
        }

        DurableFiles.SyncDirectory(Path.GetDirectoryName(committed)!);
        return true;
    }

    /// <summary>Moves a committed part to its place at the top of the dataset, replacing a previous dataset's part of that name.</summary>
    public static void Publish(string committed, string top) => File.Move(committed, top, overwrite: true);
}
