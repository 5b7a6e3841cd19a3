namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// The RLE / bit-packed hybrid encoding of levels and dictionary indexes: runs of a header varint (low bit 0: a repeated
/// value of ⌈width/8⌉ bytes, count = header/2; low bit 1: header/2 groups of 8 bit-packed values), no length prefix.
/// A reader of <see cref="Total"/> values that gives them in as many pieces as its caller likes (<see cref="Read"/>),
/// so levels can be walked through a small buffer; a mutable struct: keep it in a local and pass the same data each time.
/// </summary>
internal struct RleHybrid
{
    private readonly int _width;
    private readonly int _valueBytes;
    private readonly string _what;
    private int _position;      // the next run's header
    private int _runLeft;       // values left in the current run
    private bool _packed;       // the current run is bit-packed (else repeated)
    private int _value;         // a repeated run's value
    private long _bit;          // a bit-packed run's next value, as a bit offset in the data

    /// <param name="width">Bits per value, 0 to 32.</param>
    /// <param name="total">The values the data holds (longer runs are cut there).</param>
    /// <param name="what">What the values are, for messages (e.g. "definition levels").</param>
    public RleHybrid(int width, int total, string what)
    {
        if (width is < 0 or > 32)
        {
            throw new InvalidDataException($"the {what} have bit width {width}; at most 32 is allowed");
        }
        _width = width;
        _valueBytes = (width + 7) / 8;
        _what = what;
        Total = total;
    }

    public int Total { get; }

    /// <summary>The values given so far.</summary>
    public int Done { get; private set; }

    /// <summary>Fills all of <paramref name="destination"/> from <paramref name="data"/>; values have <paramref name="width"/> bits (0 to 32).</summary>
    /// <exception cref="InvalidDataException">The data ends before enough values, or a repeated value is wider than the width.</exception>
    public static void Decode(ReadOnlySpan<byte> data, int width, Span<int> destination, string what) =>
        new RleHybrid(width, destination.Length, what).Read(data, destination);

    /// <summary>The next <paramref name="destination"/>.Length values (at most <see cref="Total"/> − <see cref="Done"/>).</summary>
    /// <exception cref="InvalidDataException">The data ends before enough values, or a repeated value is wider than the width.</exception>
    public void Read(ReadOnlySpan<byte> data, Span<int> destination)
    {
        if (destination.Length > Total - Done)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, $"only {Total - Done} values are left");
        }
        int at = 0;
        while (at < destination.Length)
        {
            if (_runLeft == 0)
            {
                StartRun(data);
                continue;
            }
            int count = Math.Min(_runLeft, destination.Length - at);
            Span<int> target = destination.Slice(at, count);
            if (_packed)
            {
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = unchecked((int)(uint)BitPacking.Read(data, _bit + (long)i * _width, _width));
                }
                _bit += (long)count * _width;
            }
            else
            {
                target.Fill(_value);
            }
            _runLeft -= count;
            at += count;
            Done += count;
        }
    }

    private void StartRun(ReadOnlySpan<byte> data)
    {
        if (_position >= data.Length)
        {
            throw new InvalidDataException($"the {_what} end after {Done} of {Total} values");
        }
        ulong header = BitPacking.ReadVarint(data, ref _position, 5, $"run header of the {_what}");
        int left = Total - Done;
        if ((header & 1) == 0)
        {
            if (_valueBytes > data.Length - _position)
            {
                throw new InvalidDataException($"the {_what} end inside a run");
            }
            ulong value = BitPacking.Read(data.Slice(_position, _valueBytes), 0, 8 * _valueBytes);
            if (_width < 32 && value >> _width != 0)
            {
                throw new InvalidDataException($"a run of the {_what} repeats {value}, which does not fit in bit width {_width}");
            }
            _packed = false;
            _value = unchecked((int)(uint)value);
            _runLeft = (int)Math.Min(header >> 1, (ulong)left);
            _position += _valueBytes;
        }
        else
        {
            long groupBytes = (long)(header >> 1) * _width;                // 8 values of `width` bits per group
            int count = (int)Math.Min((long)(header >> 1) * 8, left);
            if (BitPacking.Bytes(count, _width) > data.Length - _position)
            {
                throw new InvalidDataException($"the {_what} end inside a bit-packed run");
            }
            _packed = true;
            _bit = 8L * _position;
            _runLeft = count;
            _position += (int)Math.Min(groupBytes, data.Length - _position);
        }
    }
}
