using System.Buffers.Binary;
using System.Text;
using LstmWorkers.Data.Input.Pages;
using Parquet;

namespace LstmWorkers.Data.Output;

/// <summary>
/// The key-value metadata of a finished Parquet file, read, or replaced without touching its data: the footer with the
/// new metadata is appended after the old one (which nothing references any more: readers find the footer from the
/// file's last 8 bytes, and column chunks by absolute offsets), and the file is synced. A crash in the middle of the
/// append leaves a file whose end is no footer: cut back to its length before the append, it has its old footer again,
/// whole, so the caller keeps that length until the append is on disk (DatasetCommit journals it).
/// </summary>
public static class FooterMetadata
{
    private const int KeyValueMetadataField = 5; // FileMetaData.key_value_metadata: list<KeyValue>
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>The file's key-value metadata.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        return reader.CustomMetadata;
    }

    /// <summary>Replaces the file's key-value metadata by <paramref name="metadata"/>, in the dictionary's order.</summary>
    /// <exception cref="InvalidDataException">The file is not a Parquet file with key-value metadata in its footer.</exception>
    public static void Replace(string path, IReadOnlyDictionary<string, string> metadata)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        long length = RandomAccess.GetLength(handle);
        var tail = new byte[8];
        if (length < 12 || RandomAccess.Read(handle, tail, length - 8) != 8 || !tail.AsSpan(4).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a Parquet file (no 'PAR1' at its end)");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12)
        {
            throw new InvalidDataException($"{path}: its footer length {footerLength} does not fit the file's {length} bytes");
        }

        var footer = new byte[footerLength];
        RandomAccess.Read(handle, footer, length - 8 - footerLength);
        byte[] replaced = Splice(footer, Encode(metadata), path);
        var appended = new byte[replaced.Length + 8];
        replaced.CopyTo(appended, 0);
        BinaryPrimitives.WriteInt32LittleEndian(appended.AsSpan(replaced.Length), replaced.Length);
        Magic.CopyTo(appended, replaced.Length + 4);
        RandomAccess.Write(handle, appended, length);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>The footer (a FileMetaData struct) with its key-value metadata field, header and value, replaced by <paramref name="list"/>.</summary>
    private static byte[] Splice(byte[] footer, byte[] list, string path)
    {
        var reader = new CompactReader(footer);
        int id = 0;
        while (true)
        {
            int start = reader.Position, previous = id;
            if (!reader.NextField(ref id, out byte type))
            {
                throw new InvalidDataException($"{path}: the footer holds no key-value metadata to replace");
            }

            reader.Skip(type);
            if (id == KeyValueMetadataField)
            {
                byte[] header = FieldHeader(KeyValueMetadataField - previous, CompactReader.List);
                return [.. footer.AsSpan(0, start), .. header, .. list, .. footer.AsSpan(reader.Position)];
            }
        }
    }

    /// <summary>A struct field's header: the id as a delta from the previous field's when it fits in four bits.</summary>
    private static byte[] FieldHeader(int delta, byte type) => delta is > 0 and <= 15
        ? [(byte)(delta << 4 | type)]
        : [type, .. Varint(ZigZag(KeyValueMetadataField))];

    /// <summary>list&lt;KeyValue&gt;: KeyValue is { 1: string key, 2: string value }.</summary>
    private static byte[] Encode(IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = new List<byte>();
        bytes.AddRange(metadata.Count < 15
            ? [(byte)(metadata.Count << 4 | CompactReader.Struct)]
            : [(byte)(0xf0 | CompactReader.Struct), .. Varint((uint)metadata.Count)]);
        foreach (var (key, value) in metadata)
        {
            foreach (string text in new[] { key, value })
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(text);
                bytes.Add(1 << 4 | CompactReader.Binary); // field 1, then field 2: each a delta of 1
                bytes.AddRange(Varint((uint)utf8.Length));
                bytes.AddRange(utf8);
            }

            bytes.Add(CompactReader.Stop);
        }

        return bytes.ToArray();
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static byte[] Varint(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value & 0x7f | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }
}
