using System.Runtime.InteropServices;

namespace LstmWorkers.Coordinator;

/// <summary>
/// Files that survive a crash of the process or of the machine: written under a temporary name in the same directory,
/// synced to disk, renamed over the target, and the directory synced, so the target holds either the old bytes or the
/// new ones, never a part. .NET cannot open a directory to sync it, so that is asked of the C library.
/// </summary>
internal static partial class DurableFiles
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(directory);
    }

    /// <summary>Creates a directory (and its parents) and syncs the one above it, so that the new directory stays after a crash.</summary>
    public static void CreateDirectory(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!Directory.Exists(full))
        {
            Directory.CreateDirectory(full);
            SyncDirectory(Path.GetDirectoryName(full) ?? full);
        }
    }

    /// <summary>Syncs a directory's entries to disk, so that a file just created or renamed in it stays after a crash.</summary>
    public static void SyncDirectory(string directory)
    {
        int descriptor = Open(directory, 0); // O_RDONLY
        if (descriptor < 0 || Fsync(descriptor) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (descriptor >= 0)
            {
                Close(descriptor);
            }

            throw new IOException($"{directory}: could not sync the directory to disk: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        Close(descriptor);
    }

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="destination"/> unless something is there, atomically: no two
    /// renames to one name can both succeed (.NET's <see cref="File.Move(string, string, bool)"/> checks, then renames).
    /// <c>renameat2</c> with <c>RENAME_NOREPLACE</c>; on a file system without it (NFS), a hard link then an unlink. The
    /// directory is synced.
    /// </summary>
    /// <returns>False when <paramref name="destination"/> existed; <paramref name="source"/> is then left as it was.</returns>
    public static bool RenameNoReplace(string source, string destination)
    {
        const int CurrentDirectory = -100, NoReplace = 1, Exists = 17, Invalid = 22, NotImplemented = 38, NotSupported = 95;
        int error = RenameAt2(CurrentDirectory, source, CurrentDirectory, destination, NoReplace) == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (error is Invalid or NotImplemented or NotSupported)
        {
            error = Link(source, destination) == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (error == 0)
            {
                File.Delete(source);
            }
        }

        if (error == Exists)
        {
            return false;
        }

        if (error != 0)
        {
            throw new IOException($"{source}: could not be renamed to {destination}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
