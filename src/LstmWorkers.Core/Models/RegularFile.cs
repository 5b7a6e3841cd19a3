using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Opens a model file for reading only when it is a regular file (symbolic links followed). A FIFO would block the
/// open until some writer came, a device such as <c>/dev/zero</c> would never end, a directory or socket cannot be
/// read: each is refused before it is opened, naming what it is. On Linux the type is read with <c>statx</c>, then
/// the file is opened non-blocking and its type checked again on the open descriptor, so a path swapped in between
/// cannot make the open hang either. Elsewhere (no <c>statx</c>) only directories are told apart before the open.
/// </summary>
internal static partial class RegularFile
{
    // Linux's values, the same on every architecture .NET runs on; struct statx has one layout everywhere (256 bytes).
    private const int AtCurrentDirectory = -100, AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxSize = 0x200;
    private const int ReadOnly = 0, NoControllingTerminal = 0x100, NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int StatxBytes = 256, StatxModeOffset = 28, StatxSizeOffset = 40;

    /// <summary>Opens <paramref name="path"/> for reading and gives its length in bytes.</summary>
    /// <exception cref="ModelFormatException">The path cannot be opened, or is not a regular file.</exception>
    public static SafeFileHandle OpenRead(string path, out long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return OpenPortably(path, out length);
        }

        Require(path, Stat(path, AtCurrentDirectory, path, 0));
        int descriptor = Open(path, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        if (descriptor < 0)
        {
            throw CannotOpen(path, Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            length = Require(path, Stat(path, descriptor, "", AtEmptyPath));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The statx type bits and size of <paramref name="target"/> relative to <paramref name="directory"/>.</summary>
    private static unsafe (int Type, long Size) Stat(string path, int directory, string target, int flags)
    {
        byte* buffer = stackalloc byte[StatxBytes];
        if (Statx(directory, target, flags, StatxType | StatxSize, buffer) != 0)
        {
            throw CannotOpen(path, Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        return (*(ushort*)(buffer + StatxModeOffset) & 0xF000, *(long*)(buffer + StatxSizeOffset));
    }

    private static long Require(string path, (int Type, long Size) status)
    {
        string? kind = status.Type switch
        {
            0x8000 => null,
            0x4000 => "a directory",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO (named pipe)",
            0xC000 => "a socket",
            _ => $"of file type 0x{status.Type:x}",
        };
        return kind is null ? status.Size : throw new ModelFormatException($"{path}: the model file is {kind}, not a regular file");
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

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
