using System.Runtime.InteropServices;
using LstmWorkers.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Opens a model file for reading only when it is a regular file (symbolic links followed). A FIFO would block the
/// open until some writer came, a device such as <c>/dev/zero</c> would never end, a directory or socket cannot be
/// read: each is refused before it is opened, naming what it is. On Linux the type is read with <c>statx</c>
/// (<see cref="FileKinds"/>), then the file is opened non-blocking and its type checked again on the open descriptor,
/// so a path swapped in between cannot make the open hang either. Elsewhere only directories are told apart before
/// the open.
/// </summary>
internal static partial class RegularFile
{
    private const int ReadOnly = 0, NoControllingTerminal = 0x100, NonBlocking = 0x800, CloseOnExec = 0x80000;

    /// <summary>Opens <paramref name="path"/> for reading and gives its length in bytes.</summary>
    /// <exception cref="ModelFormatException">The path cannot be opened, or is not a regular file.</exception>
    public static SafeFileHandle OpenRead(string path, out long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return OpenPortably(path, out length);
        }

        Require(path, Kind(path, () => FileKinds.Of(path)));
        int descriptor = Open(path, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        if (descriptor < 0)
        {
            throw CannotOpen(path, Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            var (kind, size) = Kind(path, () => FileKinds.Of(descriptor));
            Require(path, kind);
            length = size;
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static T Kind<T>(string path, Func<T> stat)
    {
        try
        {
            return stat();
        }
        catch (IOException e)
        {
            throw CannotOpen(path, e.Message);
        }
    }

    private static void Require(string path, FileKind kind)
    {
        if (kind == FileKind.Missing)
        {
            throw CannotOpen(path, "No such file or directory");
        }

        if (kind != FileKind.Regular)
        {
            throw new ModelFormatException($"{path}: the model file is {kind.Describe()}, not a regular file");
        }
    }

    private static SafeFileHandle OpenPortably(string path, out long length)
    {
        if (Directory.Exists(path))
        {
            throw new ModelFormatException($"{path}: the model file is a directory, not a regular file");
        }

        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = RandomAccess.GetLength(handle);
            return handle;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotOpen(path, e.Message);
        }
    }

    private static ModelFormatException CannotOpen(string path, string reason) => new($"{path}: cannot open the model file: {reason}");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
