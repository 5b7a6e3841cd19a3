using System.Runtime.InteropServices;

namespace LstmWorkers.Contracts.Paths;

/// <summary>What a path is: only a regular file can be read to its end without blocking (a FIFO waits for a writer,
/// a device such as <c>/dev/zero</c> never ends). .NET does not say (dotnet/runtime#85148), so on Linux the kernel is
/// asked with <c>statx</c>; elsewhere every existing non-directory counts as a regular file.</summary>
internal static partial class FileKinds
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int NoSuchFile = 2, NotADirectory = 20;

    public static FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? FileKind.Regular : Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        }

        if (Statx(AtCurrentDirectory, path, 0, StatxType, out var status) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoSuchFile or NotADirectory
                ? FileKind.Missing
                : throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return (status.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>How a message names the kind: "a FIFO", "a character device", ….</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer status);

    /// <summary>Linux's <c>struct statx</c> (the same on every architecture); only <c>stx_mode</c> is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;
    }
}

internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}
