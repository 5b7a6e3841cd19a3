using Parquet;
using Parquet.Meta.Proto;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>Opens dataset files with Parquet.Net and turns its exceptions into <see cref="InputDataException"/>.</summary>
internal static class ParquetFiles
{
    private static readonly ParquetOptions ReadOptions = new() { TreatByteArrayAsString = false };

    public static async Task<ParquetReader> OpenAsync(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"cannot open the file: {e.Message}", file: path, innerException: e);
        }
        try
        {
            await CheckFrameAsync(stream, path, cancellationToken);
            return await ParquetReader.CreateAsync(stream, ReadOptions, leaveStreamOpen: false, cancellationToken);
        }
        catch (Exception e) when (IsDataError(e))
        {
            await stream.DisposeAsync();
            throw new InputDataException($"not a readable Parquet file: {e.Message}", file: path, innerException: e);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The file's frame before Parquet.Net reads it: "PAR1" at both ends and a footer length that fits between them
    /// (Parquet.Net allocates whatever the last 8 bytes claim, and runs out of memory on a forged length).
    /// </summary>
    private static async Task CheckFrameAsync(FileStream stream, string path, CancellationToken cancellationToken)
    {
        const int Magic = 0x31524150; // "PAR1", little-endian
        long length = stream.Length;
        var head = new byte[4];
        var tail = new byte[8];
        if (length >= 12)
        {
            await stream.ReadExactlyAsync(head, cancellationToken);
            stream.Seek(-8, SeekOrigin.End);
            await stream.ReadExactlyAsync(tail, cancellationToken);
            stream.Seek(0, SeekOrigin.Begin);
        }

        int footer = BitConverter.ToInt32(tail, 0);
        if (length < 12 || BitConverter.ToInt32(head) != Magic || BitConverter.ToInt32(tail, 4) != Magic)
        {
            throw new InputDataException($"not a readable Parquet file: its {length} bytes lack the 'PAR1' marks at both ends", file: path);
        }

        if (footer <= 0 || footer > length - 12)
        {
            throw new InputDataException($"not a readable Parquet file: its footer length {footer} does not fit the file's {length} bytes", file: path);
        }
    }

    /// <summary>
    /// Exceptions Parquet.Net (and the page decoder) throw on corrupt or unsupported data, not cancellation: Parquet.Net
    /// 6.1 says <see cref="NotImplementedException"/> for what it cannot read (v2 pages of repeated columns, LZO) and
    /// <see cref="ThriftProtocolException"/> for a header it cannot parse, and dereferences the footer's optional fields
    /// unchecked (<see cref="NullReferenceException"/> for a footer that lacks one).
    /// </summary>
    public static bool IsDataError(Exception e) =>
        e is IOException or InvalidDataException or ParquetException or ThriftProtocolException or NotSupportedException
            or NotImplementedException or InvalidOperationException or ArgumentException or IndexOutOfRangeException
            or OverflowException or FormatException or NullReferenceException
        && e is not OperationCanceledException and not ObjectDisposedException;
}
