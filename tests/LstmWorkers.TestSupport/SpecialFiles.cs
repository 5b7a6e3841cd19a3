using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LstmWorkers.TestSupport;

/// <summary>Paths that are not regular files (Linux): what a careless or hostile job may name as its model or input.</summary>
public static partial class SpecialFiles
{
    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    public static string Fifo(string path)
    {
        if (MakeFifo(path, 0b110_000_000) != 0)
        {
            throw new IOException($"mkfifo {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return path;
    }

    /// <summary>Binds a Unix domain socket at <paramref name="path"/>; the socket file stays until deleted.</summary>
    public static Socket Socket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);
}
