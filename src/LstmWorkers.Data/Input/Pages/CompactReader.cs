namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Reads Thrift's compact protocol from a span, as far as page headers need it: field headers, zigzag varints, booleans,
/// and skipping anything else (statistics, unknown fields). Running out of bytes throws <see cref="EndOfStreamException"/>,
/// anything malformed <see cref="InvalidDataException"/>; nesting deeper than <see cref="MaxDepth"/> is malformed.
/// </summary>
internal ref struct CompactReader
{
    public const byte Stop = 0, True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8,
        List = 9, Set = 10, Map = 11, Struct = 12, Uuid = 13;

    private const int MaxDepth = 32;
    private readonly ReadOnlySpan<byte> _bytes;

    public CompactReader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Bytes read so far.</summary>
    public int Position { get; private set; }

    /// <summary>
    /// The next field of the current struct: false at its end. <paramref name="id"/> carries the previous field's id in
    /// (0 at the start of a struct) and the new one out.
    /// </summary>
    public bool NextField(ref int id, out byte type)
    {
        byte header = ReadByte();
        type = (byte)(header & 0x0f);
        if (type == Stop)
        {
            return false;
        }
        int delta = header >> 4;
        if (delta != 0)
        {
            id = Math.Min(id + delta, short.MaxValue + 1);
            return true;
        }
        long explicitId = Unzigzag(ReadVarint(3));
        if (explicitId is < short.MinValue or > short.MaxValue)
        {
            throw new InvalidDataException($"a field id is {explicitId}");
        }
        id = (int)explicitId;
        return true;
    }

    public int ReadI32(byte type)
    {
        Expect(type, I32);
        long value = Unzigzag(ReadVarint(5));
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new InvalidDataException($"a 32-bit field holds {value}");
        }
        return (int)value;
    }

    /// <summary>A boolean struct field: its value is the field header's type.</summary>
    public static bool ReadBool(byte type) => type switch
    {
        True => true,
        False => false,
        _ => throw new InvalidDataException($"a boolean field has compact type {type}"),
    };

    /// <summary>Skips a value of compact type <paramref name="type"/> (a struct field's boolean has no bytes to skip).</summary>
    public void Skip(byte type, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"the header nests deeper than {MaxDepth} levels");
        }
        switch (type)
        {
            case True or False:
                break;
            case Byte:
                Advance(1);
                break;
            case I16 or I32 or I64:
                ReadVarint(10);
                break;
            case Double:
                Advance(8);
                break;
            case Uuid:
                Advance(16);
                break;
            case Binary:
                Advance((int)Math.Min(ReadVarint(5), int.MaxValue));
                break;
            case List or Set:
                SkipList(depth);
                break;
            case Map:
                SkipMap(depth);
                break;
            case Struct:
                int id = 0;
                while (NextField(ref id, out byte fieldType))
                {
                    Skip(fieldType, depth + 1);
                }
                break;
            default:
                throw new InvalidDataException($"unknown compact type {type}");
        }
    }

    private void SkipList(int depth)
    {
        byte header = ReadByte();
        long size = header >> 4;
        if (size == 15)
        {
            size = (long)ReadVarint(5);
        }
        byte elementType = (byte)(header & 0x0f);
        for (long i = 0; i < size; i++)
        {
            // a boolean list element is one byte, unlike a boolean struct field
            Skip(elementType is True or False ? Byte : elementType, depth + 1);
        }
    }

    private void SkipMap(int depth)
    {
        ulong size = ReadVarint(5);
        if (size == 0)
        {
            return;
        }
        byte types = ReadByte();
        for (ulong i = 0; i < size; i++)
        {
            Skip(ElementType((byte)(types >> 4)), depth + 1);
            Skip(ElementType((byte)(types & 0x0f)), depth + 1);
        }
    }

    private static byte ElementType(byte type) => type is True or False ? Byte : type;

    private static void Expect(byte type, byte expected)
    {
        if (type != expected)
        {
            throw new InvalidDataException($"a field has compact type {type}, expected {expected}");
        }
    }

    private static long Unzigzag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private ulong ReadVarint(int maxBytes)
    {
        ulong value = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            byte b = ReadByte();
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException($"a varint is longer than {maxBytes} bytes");
    }

    private byte ReadByte()
    {
        if (Position >= _bytes.Length)
        {
            throw new EndOfStreamException("the header is cut short");
        }
        return _bytes[Position++];
    }

    private void Advance(int count)
    {
        if (count > _bytes.Length - Position)
        {
            throw new EndOfStreamException("the header is cut short");
        }
        Position += count;
    }
}
