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
    /// Exceptions Parquet.Net (and the page decoder) throw on corrupt or unsupported data, not cancellation: Parquet.Net
    /// 6.1 says <see cref="NotImplementedException"/> for what it cannot read (v2 pages of repeated columns, LZO) and
    /// <see cref="ThriftProtocolException"/> for a header it cannot parse.
    /// </summary>
    public static bool IsDataError(Exception e) =>
        e is IOException or InvalidDataException or ParquetException or ThriftProtocolException or NotSupportedException
            or NotImplementedException or InvalidOperationException or ArgumentException or IndexOutOfRangeException
            or OverflowException or FormatException
        && e is not OperationCanceledException and not ObjectDisposedException;
}
