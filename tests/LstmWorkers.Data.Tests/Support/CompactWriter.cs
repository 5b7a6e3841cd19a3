namespace LstmWorkers.Data.Tests.Support;

/// <summary>
/// Writes Thrift compact-protocol structs for hand-made page headers (an independent writer: the reader under test is
/// in LstmWorkers.Data). Fields are written in the order given; <see cref="Struct"/> nests.
/// </summary>
public sealed class CompactWriter
{
    private readonly List<byte> _bytes = [];
    private readonly Stack<int> _lastIds = new();
    private int _lastId;

    public byte[] ToArray() => [.. _bytes];

    public CompactWriter I32(int id, int value) => Field(id, 5).Varint(Zigzag(value));

    public CompactWriter I64(int id, long value) => Field(id, 6).Varint(Zigzag(value));

    public CompactWriter Bool(int id, bool value) => Field(id, (byte)(value ? 1 : 2));

    public CompactWriter Binary(int id, byte[] value)
    {
        Field(id, 8).Varint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    /// <summary>A list of i32 elements.</summary>
    public CompactWriter I32List(int id, params int[] values)
    {
        Field(id, 9);
        _bytes.Add((byte)(values.Length << 4 | 5));
        foreach (int v in values)
        {
            Varint(Zigzag(v));
        }
        return this;
    }

    /// <summary>A struct field whose content <paramref name="content"/> writes.</summary>
    public CompactWriter Struct(int id, Action<CompactWriter> content)
    {
        Field(id, 12);
        _lastIds.Push(_lastId);
        _lastId = 0;
        content(this);
        _bytes.Add(0);
        _lastId = _lastIds.Pop();
        return this;
    }

    /// <summary>Ends the outermost struct.</summary>
    public byte[] End()
    {
        _bytes.Add(0);
        return ToArray();
    }

    private CompactWriter Field(int id, byte type)
    {
        int delta = id - _lastId;
        if (delta is > 0 and <= 15)
        {
            _bytes.Add((byte)(delta << 4 | type));
        }
        else
        {
            _bytes.Add(type);
            Varint(Zigzag(id));
        }
        _lastId = id;
        return this;
    }

    private CompactWriter Varint(ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            _bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return this;
    }

    private static ulong Zigzag(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));
}
