namespace LstmWorkers.Coordinator.Datasets;

/// <summary>The atomic steps that put a part in place, each durable once it returns.</summary>
internal static class PartCommits
{
    /// <summary>
    /// Moves a finished part to <paramref name="committed"/> unless a part is there already (then the finished one is
    /// deleted: the first commit wins) by a rename that never replaces (<see cref="DurableFiles.RenameNoReplace"/>): no
    /// two attempts can both place a part.
    /// </summary>
    /// <returns>False when another attempt had committed the part first.</returns>
    public static bool Commit(string finished, string committed)
    {
        DurableFiles.CreateDirectory(Path.GetDirectoryName(committed)!);
        if (DurableFiles.RenameNoReplace(finished, committed))
        {
            return true;
        }

        File.Delete(finished);
        return false;
    }

    /// <summary>Moves a committed part to its place at the top of the dataset, replacing a previous dataset's part of that name.</summary>
    public static void Publish(string committed, string top) => File.Move(committed, top, overwrite: true);
}
