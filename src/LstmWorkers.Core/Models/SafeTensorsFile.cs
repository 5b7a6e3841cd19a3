using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian tensor bytes. Nothing in the
/// file is ever executed, and every size in it is checked before it is used (<see cref="SafeTensorsHeader"/>).
/// Floating-point tensors convert to float32 on read (F16, BF16, F64).
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The whole file is held in one array, so it can be at most the longest .NET array.</summary>
    private static long MaxFileBytes => Array.MaxLength;

    private readonly byte[] _bytes;
    private readonly long _dataStart;

    private SafeTensorsFile(string source, byte[] bytes, long dataStart,
        IReadOnlyDictionary<string, SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Source = source;
        _bytes = bytes;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The path (or name) the bytes came from, used in messages.</summary>
    public string Source { get; }

    public IReadOnlyDictionary<string, SafeTensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Lower-case hex SHA-256 of the whole file: the model's identity.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(_bytes));

    /// <summary>
    /// Reads the regular file at <paramref name="path"/> (<see cref="RegularFile"/>: never a FIFO, device or
    /// directory) of at most <see cref="Array.MaxLength"/> bytes; its header length is checked before the rest is read.
    /// </summary>
    /// <exception cref="ModelFormatException">The file cannot be read or is not a valid safetensors file.</exception>
    public static SafeTensorsFile Load(string path)
    {
        using var handle = RegularFile.OpenRead(path, out long length);
        if (length > MaxFileBytes)
        {
            throw new ModelFormatException($"{path}: the model file is {length} bytes, over the limit of {MaxFileBytes} bytes");
        }

        Span<byte> start = stackalloc byte[8];
        ReadExactly(handle, start[..(int)Math.Min(8, length)], path, length);
        SafeTensorsHeader.Length(start, length, path);
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        ReadExactly(handle, bytes, path, length);
        return Parse(bytes, path);
    }

    /// <summary>Reads a safetensors file held in <paramref name="bytes"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid safetensors file.</exception>
    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        int headerLength = SafeTensorsHeader.Length(bytes, bytes.Length, source);
        long dataStart = 8 + headerLength;
        var (entries, metadata) = SafeTensorsHeader.Parse(bytes.AsMemory(8, headerLength), source, bytes.Length - dataStart);
        return new SafeTensorsFile(source, bytes, dataStart, entries, metadata);
    }

    public bool Contains(string name) => Entries.ContainsKey(name);

    public SafeTensorsEntry Entry(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ModelFormatException($"{Source}: no tensor named {ModelText.Quote(name)}");

    /// <summary>Reads a floating-point tensor as float32, whatever its stored float dtype.</summary>
    public Tensor<float> ReadFloat32(string name)
    {
        var entry = Entry(name);
        var raw = Raw(entry);
        var values = new float[entry.ElementCount];
        switch (entry.DType)
        {
            case SafeTensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
                break;
            case SafeTensorsDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(raw);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)doubles[i];
                }

                break;
            case SafeTensorsDType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(raw);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)halves[i];
                }

                break;
            case SafeTensorsDType.BF16:
                var bits = MemoryMarshal.Cast<byte, ushort>(raw);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
                }

                break;
            default:
                throw new ModelFormatException(
                    $"{Source}: tensor {ModelText.Quote(name)} has dtype {entry.DType}; a floating-point dtype (F32, F16, BF16, F64) is needed");
        }

        return new Tensor<float>(entry.Shape, values);
    }

    /// <summary>Reads a floating-point tensor as float64 (exact for F64 fixtures).</summary>
    public Tensor<double> ReadFloat64(string name)
    {
        var entry = Entry(name);
        if (entry.DType == SafeTensorsDType.F64)
        {
            return new Tensor<double>(entry.Shape, MemoryMarshal.Cast<byte, double>(Raw(entry)).ToArray());
        }

        var floats = ReadFloat32(name);
        return new Tensor<double>(entry.Shape, Array.ConvertAll(floats.Data, v => (double)v));
    }

    /// <summary>Reads an integer tensor (I64 or I32) as int64.</summary>
    public Tensor<long> ReadInt64(string name)
    {
        var entry = Entry(name);
        var raw = Raw(entry);
        long[] values = entry.DType switch
        {
            SafeTensorsDType.I64 => MemoryMarshal.Cast<byte, long>(raw).ToArray(),
            SafeTensorsDType.I32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(raw).ToArray(), v => (long)v),
            _ => throw new ModelFormatException(
                $"{Source}: tensor {ModelText.Quote(name)} has dtype {entry.DType}; an integer dtype (I64, I32) is needed"),
        };
        return new Tensor<long>(entry.Shape, values);
    }

    private ReadOnlySpan<byte> Raw(SafeTensorsEntry entry) =>
        _bytes.AsSpan((int)(_dataStart + entry.Begin), (int)(entry.End - entry.Begin));

    /// <summary>Fills <paramref name="buffer"/> from the file's start; a file that shrinks meanwhile is refused.</summary>
    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, string path, long length)
    {
        for (int filled = 0; filled < buffer.Length;)
        {
            int read;
            try
            {
                read = RandomAccess.Read(handle, buffer[filled..], filled);
            }
            catch (IOException e)
            {
                throw new ModelFormatException($"{path}: cannot read the model file: {e.Message}", e);
            }

            if (read == 0)
            {
                throw new ModelFormatException($"{path}: the model file became shorter while it was read ({filled} of {length} bytes)");
            }

            filled += read;
        }
    }
}
