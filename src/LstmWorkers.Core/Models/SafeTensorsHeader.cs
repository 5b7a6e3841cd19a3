using System.Buffers.Binary;
using System.Text.Json;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Reads and checks a safetensors header as the format's own library does: an 8-byte little-endian length (at most
/// 100 MiB, within the file), then a JSON object of tensor entries <c>{"dtype", "shape", "data_offsets"}</c> and an
/// optional <c>__metadata__</c> object of strings. Every name appears once; every dimension is an integer in
/// [0, 2^31); a tensor's byte size (dtype × shape, in checked 64-bit arithmetic) equals its offsets' span; and the
/// tensors, in offset order, cover the data section exactly: no overlap, no gap, nothing after the last.
/// Messages name the file and the tensor, never quote the header's bytes.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>The safetensors library's own limit on the header.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;

    private const string MetadataName = "__metadata__";

    /// <summary>The header's length from the file's first 8 bytes, checked against the limit and the file's length.</summary>
    public static int Length(ReadOnlySpan<byte> start, long fileLength, string source)
    {
        if (fileLength < 8)
        {
            throw new ModelFormatException($"{source}: not a safetensors file ({fileLength} bytes, no header length)");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(start);
        if (length > MaxBytes)
        {
            throw new ModelFormatException(
                $"{source}: not a safetensors file (header length {length} is over the limit of {MaxBytes} bytes)");
        }

        if ((long)length > fileLength - 8)
        {
            throw new ModelFormatException(
                $"{source}: not a safetensors file (header length {length} does not fit the file's {fileLength} bytes)");
        }

        return (int)length;
    }

    /// <summary>The entries and metadata of the JSON <paramref name="header"/>, checked against the data section's length.</summary>
    public static (Dictionary<string, SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlyMemory<byte> header, string source, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(
                $"{source}: the safetensors header is not valid JSON " +
                $"(line {e.LineNumber + 1 ?? 1}, column {e.BytePositionInLine + 1 ?? 1} of its {header.Length} bytes)", e);
        }

        using (document)
        {
            try
            {
                return Parse(document.RootElement, source, dataLength);
            }
            catch (InvalidOperationException e)
            {
                // Utf8JsonReader accepts an escaped lone surrogate (\ud800); only turning it into a string fails.
                throw new ModelFormatException($"{source}: the safetensors header holds a string that is not valid Unicode", e);
            }
        }
    }

    private static (Dictionary<string, SafeTensorsEntry>, Dictionary<string, string>) Parse(JsonElement root, string source, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{source}: the safetensors header is not a JSON object");
        }

        var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == MetadataName)
            {
                metadata = metadata is null
                    ? ParseMetadata(property.Value, source)
                    : throw new ModelFormatException($"{source}: \"{MetadataName}\" is listed twice in the safetensors header");
            }
            else if (!entries.TryAdd(property.Name, ParseEntry(property.Name, property.Value, source, dataLength)))
            {
                throw new ModelFormatException($"{source}: tensor {ModelText.Quote(property.Name)} is listed twice in the safetensors header");
            }
        }

        CheckLayout(entries.Values, source, dataLength);
        return (entries, metadata ?? []);
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{source}: \"{MetadataName}\" must be a JSON object of strings");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new ModelFormatException($"{source}: \"{MetadataName}\" entry {ModelText.Quote(item.Name)} must be a string");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new ModelFormatException($"{source}: \"{MetadataName}\" entry {ModelText.Quote(item.Name)} is listed twice");
            }
        }

        return metadata;
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, string source, long dataLength)
    {
        string tensor = $"{source}: tensor {ModelText.Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{tensor}: its header entry must be a JSON object");
        }

        JsonElement? dtypeValue = null, shapeValue = null, offsetsValue = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeValue;
            switch (field.Name)
            {
                case "dtype":
                    break;
                case "shape":
                    slot = ref shapeValue;
                    break;
                case "data_offsets":
                    slot = ref offsetsValue;
                    break;
                default:
                    continue; // the format's own reader ignores other fields too
            }

            slot = slot is null ? field.Value : throw new ModelFormatException($"{tensor} has \"{field.Name}\" twice");
        }

        var dtype = ParseDType(Required(dtypeValue, "dtype", tensor), tensor);
        var dims = Integers(Required(shapeValue, "shape", tensor), tensor, "\"shape\" must be an array of integers");
        var offsets = Integers(Required(offsetsValue, "data_offsets", tensor), tensor,
            "\"data_offsets\" must be two non-negative integers [begin, end]");
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < 0)
        {
            throw new ModelFormatException($"{tensor}: \"data_offsets\" must be two non-negative integers [begin, end]");
        }

        var entry = new SafeTensorsEntry(name, dtype, ParseShape(dims, tensor), offsets[0], offsets[1]);
        CheckOffsets(entry, tensor, dataLength);
        return entry;
    }

    private static JsonElement Required(JsonElement? value, string field, string tensor) =>
        value ?? throw new ModelFormatException($"{tensor} has no \"{field}\"");

    private static SafeTensorsDType ParseDType(JsonElement value, string tensor)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException($"{tensor}: \"dtype\" must be a string");
        }

        string name = value.GetString()!;
        return SafeTensorsDTypes.TryParse(name, out var dtype)
            ? dtype
            : throw new ModelFormatException($"{tensor} has unsupported dtype {ModelText.Quote(name)} (supported: {SafeTensorsDTypes.Names})");
    }

    private static long[] Integers(JsonElement value, string tensor, string expected)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ModelFormatException($"{tensor}: {expected}");
        }

        var integers = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out integers[i++]))
            {
                throw new ModelFormatException($"{tensor}: {expected}");
            }
        }

        return integers;
    }

    private static int[] ParseShape(long[] dims, string tensor)
    {
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw new ModelFormatException($"{tensor} has shape [{string.Join(", ", dims)}]: dimension {dim} is negative");
            }

            if (dim > int.MaxValue)
            {
                throw new ModelFormatException($"{tensor} has a dimension {dim}, over the limit of {int.MaxValue}");
            }
        }

        return Array.ConvertAll(dims, d => (int)d);
    }

    private static void CheckOffsets(SafeTensorsEntry entry, string tensor, long dataLength)
    {
        if (entry.End < entry.Begin)
        {
            throw new ModelFormatException($"{tensor} has data_offsets [{entry.Begin}, {entry.End}]: the end is before the begin");
        }

        if (entry.End > dataLength)
        {
            throw new ModelFormatException(
                $"{tensor} has data_offsets [{entry.Begin}, {entry.End}], past the end of the {dataLength}-byte data section");
        }

        int size = SafeTensorsDTypes.SizeOf(entry.DType);
        if (!Tensor<byte>.TryElementCount(entry.Shape, out long count) || count > long.MaxValue / size)
        {
            throw new ModelFormatException($"{tensor} ({entry.DType} {entry.ShapeText}) needs more than {long.MaxValue} bytes");
        }

        long bytes = count * size;
        if (entry.End - entry.Begin != bytes)
        {
            throw new ModelFormatException(
                $"{tensor} ({entry.DType} {entry.ShapeText}) needs {bytes} bytes but its data_offsets [{entry.Begin}, {entry.End}] hold {entry.End - entry.Begin}");
        }
    }

    /// <summary>In offset order the tensors must tile the data section: each begins where the previous one ended.</summary>
    private static void CheckLayout(IEnumerable<SafeTensorsEntry> entries, string source, long dataLength)
    {
        long covered = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < covered)
            {
                throw new ModelFormatException(
                    $"{source}: tensors {ModelText.Quote(previous!.Name)} [{previous.Begin}, {previous.End}] and " +
                    $"{ModelText.Quote(entry.Name)} [{entry.Begin}, {entry.End}] overlap");
            }

            CheckCovered(covered, entry.Begin, source, dataLength);
            covered = entry.End;
            previous = entry;
        }

        CheckCovered(covered, dataLength, source, dataLength);
    }

    private static void CheckCovered(long covered, long next, string source, long dataLength)
    {
        if (next > covered)
        {
            throw new ModelFormatException(
                $"{source}: bytes [{covered}, {next}) of the {dataLength}-byte data section belong to no tensor");
        }
    }
}
