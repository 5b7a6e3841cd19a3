using Microsoft.Win32.SafeHandles;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Reads byte ranges (column chunks, page headers) of one dataset file through a handle of its own, opened on first use,
/// so files whose every chunk Parquet.Net reads cost nothing here. Reads are positional: they do not disturb the stream
/// Parquet.Net reads through.
/// </summary>
internal sealed class PageFile : IDisposable
{
    private readonly string _path;
    private SafeFileHandle? _handle;

    public PageFile(string path) => _path = path;

    /// <summary>The file's length in bytes.</summary>
    public long Length => RandomAccess.GetLength(Handle);

    private SafeFileHandle Handle => _handle ??= File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read);

    /// <summary>Fills <paramref name="destination"/> from byte <paramref name="offset"/> on.</summary>
    /// <exception cref="InvalidDataException">The file ends first.</exception>
    public async ValueTask ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int n = await RandomAccess.ReadAsync(Handle, destination[done..], offset + done, cancellationToken);
            if (n == 0)
            {
                throw new InvalidDataException($"the file ends at byte {offset + done}, before the {destination.Length} bytes from byte {offset}");
            }
            done += n;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
