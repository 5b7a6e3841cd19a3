using System.Buffers;
using LstmWorkers.Core.Limits;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// Gathers validated rows of one file (possibly from several row groups) into a <see cref="RowChunk"/>. The row
/// arrays are reused and copied into right-sized ones for the chunk; the sequence values go straight into an array
/// rented from <see cref="ArrayPool{T}.Shared"/>, which <see cref="Build"/> hands to the chunk (no copy of the data,
/// and, once the chunks before it are released, no fresh memory for it).
/// </summary>
internal sealed class ChunkBuilder
{
    /// <summary>A chunk closes early rather than hold more sequence values than this (1 GiB of floats).</summary>
    public const long MaxValues = 1L << 28;

    private readonly IdKind _idKind;
    private readonly SequenceKind _sequenceKind;
    private readonly int _inputSize;
    private readonly long _maxSteps;
    private readonly int[] _lengths;
    private readonly long[]? _int64;
    private readonly int[]? _int32;
    private readonly string?[]? _strings;
    private readonly bool[] _nulls;
    private bool _anyNull;
    private int[] _tokens = [];
    private float[] _features = [];
    private long _values;
    private long _steps;
    private string _file = "";
    private long _firstRow;

    /// <param name="maxSteps">The most time steps a chunk holds (unless one row alone has more).</param>
    public ChunkBuilder(IdKind idKind, SequenceKind sequenceKind, int inputSize, int capacity, long maxSteps = long.MaxValue)
    {
        _maxSteps = maxSteps;
        _idKind = idKind;
        _sequenceKind = sequenceKind;
        _inputSize = sequenceKind == SequenceKind.TokenIds ? 0 : inputSize;
        _lengths = new int[capacity];
        _nulls = new bool[capacity];
        _int64 = idKind == IdKind.Int64 ? new long[capacity] : null;
        _int32 = idKind == IdKind.Int32 ? new int[capacity] : null;
        _strings = idKind == IdKind.String ? new string?[capacity] : null;
    }

    public int Count { get; private set; }

    public int Remaining => _lengths.Length - Count;

    /// <summary>Kept sequence values that still fit before <see cref="MaxValues"/> and the chunk's most steps.</summary>
    public long ValueBudget => Math.Min(MaxValues - _values, SizeLimits.Product(Math.Max(0, _maxSteps - _steps), Math.Max(1, _inputSize)));

    /// <summary>Starts a new chunk at global row <paramref name="firstRow"/> of <paramref name="file"/>.</summary>
    public void Start(string file, long firstRow)
    {
        _file = file;
        _firstRow = firstRow;
        Reset();
    }

    /// <summary>Appends valid rows [start, start + count) of the decoded row group.</summary>
    public void Append(SequenceDecoder sequence, IdDecoder? ids, int start, int count)
    {
        var steps = sequence.Steps.Slice(start, count);
        steps.CopyTo(_lengths.AsSpan(Count));
        foreach (int length in steps)
        {
            _steps += length;
        }

        if (ids is not null)
        {
            AppendIds(ids, start, count);
        }
        long kept = sequence.KeptValues(start, count);
        int at = checked((int)_values);
        int end = checked((int)(_values + kept));
        if (_sequenceKind == SequenceKind.TokenIds)
        {
            Grow(ref _tokens, end);
            sequence.CopyTokens(start, count, _tokens.AsSpan(at, (int)kept));
        }
        else
        {
            Grow(ref _features, end);
            sequence.CopyFeatures(start, count, _features.AsSpan(at, (int)kept));
        }
        _values = end;
        Count += count;
    }

    /// <summary>The gathered rows as a chunk; the builder then continues with the rows after them.</summary>
    public RowChunk Build()
    {
        int n = Count;
        IdValues ids = _idKind switch
        {
            IdKind.RowNumber => IdValues.RowNumbers(_firstRow, n),
            IdKind.Int64 => IdValues.FromInt64(_int64.AsSpan(0, n).ToArray(), NullsCopy(n)),
            IdKind.Int32 => IdValues.FromInt32(_int32.AsSpan(0, n).ToArray(), NullsCopy(n)),
            _ => IdValues.FromStrings(_strings.AsSpan(0, n).ToArray()),
        };
        var chunk = new RowChunk(_file, _firstRow, ids, _lengths.AsSpan(0, n).ToArray(),
            _sequenceKind == SequenceKind.TokenIds ? Take(ref _tokens) : null,
            _sequenceKind == SequenceKind.TokenIds ? null : Take(ref _features),
            _inputSize) { Pooled = true };
        _firstRow += n;
        Reset();
        return chunk;
    }

    private void AppendIds(IdDecoder ids, int start, int count)
    {
        switch (_idKind)
        {
            case IdKind.Int64:
                ids.Int64.Slice(start, count).CopyTo(_int64.AsSpan(Count));
                break;
            case IdKind.Int32:
                ids.Int32.Slice(start, count).CopyTo(_int32.AsSpan(Count));
                break;
            case IdKind.String:
                ids.Strings.Slice(start, count).CopyTo(_strings.AsSpan(Count));
                break;
        }
        if (ids.AnyNull)
        {
            ReadOnlySpan<bool> nulls = ids.Nulls.Slice(start, count);
            nulls.CopyTo(_nulls.AsSpan(Count));
            _anyNull |= nulls.Contains(true);
        }
    }

    private bool[]? NullsCopy(int n) => _anyNull ? _nulls.AsSpan(0, n).ToArray() : null;

    private void Reset()
    {
        if (_anyNull)
        {
            Array.Clear(_nulls);
        }
        _anyNull = false;
        _strings?.AsSpan(0, Count).Clear();
        Count = 0;
        _values = 0;
        _steps = 0;
    }

    private static T[] Take<T>(ref T[] rented)
    {
        T[] taken = rented;
        rented = [];
        return taken;
    }

    /// <summary>Makes <paramref name="array"/> (rented, or empty) hold at least <paramref name="length"/> elements, keeping what it holds.</summary>
    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length >= length)
        {
            return;
        }
        T[] larger = ArrayPool<T>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(length, array.Length * 2L)));
        array.CopyTo(larger, 0);
        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array);
        }
        array = larger;
    }
}
