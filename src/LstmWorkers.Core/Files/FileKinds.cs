using System.Runtime.InteropServices;

namespace LstmWorkers.Core.Files;

/// <summary>What a path is: only a regular file can be read to its end without blocking (a FIFO waits for a writer,
/// a device such as <c>/dev/zero</c> never ends). .NET does not say (dotnet/runtime#85148), so on Linux the kernel is
/// asked with <c>statx</c>; elsewhere every existing non-directory counts as a regular file.</summary>
internal static partial class FileKinds
{
    // Linux's values, the same on every architecture .NET runs on; struct statx has one layout everywhere (256 bytes).
    private const int AtCurrentDirectory = -100, AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxSize = 0x200;
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

        return KindOf(status.Mode);
    }

    /// <summary>What an open descriptor is, and its size in bytes (Linux only).</summary>
    /// <exception cref="IOException">The kernel cannot say.</exception>
    public static (FileKind Kind, long Length) Of(int descriptor)
    {
        if (Statx(descriptor, "", AtEmptyPath, StatxType | StatxSize, out var status) != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        return (KindOf(status.Mode), status.Size);
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
        _ => "of another file type",
    };

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer status);

    /// <summary>Linux's <c>struct statx</c> (the same on every architecture); <c>stx_mode</c> and <c>stx_size</c> are read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public long Size;
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
