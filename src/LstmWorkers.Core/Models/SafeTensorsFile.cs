using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian tensor bytes. Nothing in the
/// file is ever executed. Floating-point tensors convert to float32 on read (F16, BF16, F64).
/// </summary>
public sealed class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

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

    public static SafeTensorsFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: cannot read the model file: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw new ModelFormatException($"{source}: not a safetensors file ({bytes.Length} bytes, no header length)");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
        {
            throw new ModelFormatException(
                $"{source}: not a safetensors file (header length {headerLength} does not fit the file's {bytes.Length} bytes)");
        }

        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = ParseHeader(bytes.AsSpan(8, (int)headerLength), source, bytes.Length - dataStart);
        return new SafeTensorsFile(source, bytes, dataStart, entries, metadata);
    }

    public bool Contains(string name) => Entries.ContainsKey(name);

    public SafeTensorsEntry Entry(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ModelFormatException($"{Source}: no tensor named '{name}'");

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
                    $"{Source}: tensor '{name}' has dtype {entry.DType}; a floating-point dtype (F32, F16, BF16, F64) is needed");
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
                $"{Source}: tensor '{name}' has dtype {entry.DType}; an integer dtype (I64, I32) is needed"),
        };
        return new Tensor<long>(entry.Shape, values);
    }

    private ReadOnlySpan<byte> Raw(SafeTensorsEntry entry) =>
        _bytes.AsSpan((int)(_dataStart + entry.Begin), (int)(entry.End - entry.Begin));

    private static (Dictionary<string, SafeTensorsEntry>, Dictionary<string, string>) ParseHeader(
        ReadOnlySpan<byte> header, string source, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{source}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException($"{source}: the safetensors header is not a JSON object");
            }

            var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.ToString();
                    }

                    continue;
                }

                entries[property.Name] = ParseEntry(property, source, dataLength);
            }

            return (entries, metadata);
        }
    }

    private static SafeTensorsEntry ParseEntry(JsonProperty property, string source, long dataLength)
    {
        string name = property.Name;
        try
        {
            var value = property.Value;
            string dtypeName = value.GetProperty("dtype").GetString() ?? "";
            if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
            {
                throw new ModelFormatException(
                    $"{source}: tensor '{name}' has unsupported dtype '{dtypeName}' (supported: F32, F16, BF16, F64, I64, I32)");
            }

            int[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var entry = new SafeTensorsEntry(name, dtype, shape, offsets.ElementAtOrDefault(0), offsets.ElementAtOrDefault(1));
            long expectedBytes = entry.ElementCount * SafeTensorsDTypes.SizeOf(dtype);
            if (offsets.Length != 2 || entry.Begin < 0 || entry.End > dataLength || entry.End - entry.Begin != expectedBytes)
            {
                throw new ModelFormatException(
                    $"{source}: tensor '{name}' ({dtype} {entry.ShapeText}) needs {expectedBytes} bytes but its data_offsets " +
                    $"[{string.Join(", ", offsets)}] do not match within the {dataLength}-byte data section");
            }

            return entry;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{source}: tensor '{name}' has a malformed header entry: {e.Message}", e);
        }
    }
}
