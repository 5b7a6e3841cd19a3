using System.Globalization;
using LstmWorkers.Data.Input.Pages;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// Reads the sequence column of one row group at a time and validates it, reusing its buffers (no per-row allocation).
/// The values are kept for the whole row group; the levels are walked as the page decoder hands them over, a piece at a
/// time (<see cref="ILevelSink"/>), so they never take more than a piece and the longest row.
/// <para>
/// After <see cref="DecodeAsync"/>: rows [0, <see cref="ValidRows"/>) are valid; when <see cref="Problem"/> is set it
/// describes row <see cref="ValidRows"/>, the first bad one (rows after it are not looked at). The non-null values are
/// packed at the front of the value buffer as <see cref="RawColumnReader"/> delivers them; row <c>r</c>'s values
/// are [<c>offsets[r]</c>, <c>offsets[r + 1]</c>), of which the first <c>Steps[r] × perStep</c> are kept (truncation).
/// </para>
/// </summary>
internal sealed partial class SequenceDecoder : ILevelSink
{
    private readonly SequenceKind _kind;
    private readonly int _perStep;          // values per time step: 1 for token ids, input_size for features
    private readonly long _vocabSize;
    private readonly ulong _tokenLimit;     // exclusive bound for token ids: min(vocab, 2^31)
    private readonly bool _allowNonFinite;
    private readonly int _maxLength;
    private readonly bool _truncate;
    private readonly StepLimit? _stepLimit;
    private readonly RawColumnReader _reader;

    private int[] _ints = [];
    private long[] _longs = [];
    private float[] _floats = [];
    private double[] _doubles = [];
    private int[] _offsets = [];            // [rows + 1] value offsets
    private int[] _steps = [];              // [rows] kept time steps

    public SequenceDecoder(DatasetReadOptions options, SequenceKind kind)
    {
        _kind = kind;
        _perStep = kind == SequenceKind.TokenIds ? 1 : options.InputSize;
        _vocabSize = options.VocabSize;
        _tokenLimit = options.VocabSize > 0 ? (ulong)Math.Min(options.VocabSize, 1L << 31) : 1UL << 31;
        _allowNonFinite = options.AllowNonFinite;
        _maxLength = options.MaxLength ?? int.MaxValue;
        _truncate = options.Truncate;
        _stepLimit = options.StepLimit;
        _reader = new RawColumnReader(options.LevelPiece);
    }

    public LeafType LeafType { get; private set; }

    /// <summary>Rows in the row group.</summary>
    public int RowCount { get; private set; }

    /// <summary>Rows [0, ValidRows) are valid.</summary>
    public int ValidRows { get; private set; }

    /// <summary>The problem with row <see cref="ValidRows"/>, when there is one.</summary>
    public RowProblem? Problem { get; private set; }

    /// <summary>Kept time steps of the valid rows.</summary>
    public ReadOnlySpan<int> Steps => _steps.AsSpan(0, ValidRows);

    public async ValueTask DecodeAsync(ParquetRowGroupReader rowGroup, ColumnLayout layout, PageFile file, CancellationToken cancellationToken)
    {
        DataField leaf = layout.Leaf!;
        long numValues = rowGroup.GetMetadata(leaf)?.MetaData?.NumValues
            ?? throw new InvalidDataException("the column chunk has no metadata");
        if (numValues > Array.MaxLength || rowGroup.RowCount > Array.MaxLength)
        {
            throw new NotSupportedException($"the row group holds {numValues} values; at most {Array.MaxLength} are supported per row group");
        }
        int n = (int)numValues;
        int rows = (int)rowGroup.RowCount;
        LeafType = layout.LeafType;
        RowCount = rows;
        Buffers.Ensure(ref _offsets, rows + 1);
        Buffers.Ensure(ref _steps, rows);
        StartWalk(layout);
        switch (LeafType)
        {
            case LeafType.Int32:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _ints, n).AsMemory(0, n), this, cancellationToken);
                break;
            case LeafType.Int64:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _longs, n).AsMemory(0, n), this, cancellationToken);
                break;
            case LeafType.Float:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _floats, n).AsMemory(0, n), this, cancellationToken);
                break;
            case LeafType.Double:
                await _reader.ReadAsync(rowGroup, leaf, file, Buffers.Ensure(ref _doubles, n).AsMemory(0, n), this, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"{layout.TypeName} is not a sequence type");
        }
        FinishWalk();
        CheckValues();
    }

    // ---- values: one pass over the packed values of the valid rows ----

    private void CheckValues()
    {
        int limit = _offsets[ValidRows];
        int bad = LeafType switch
        {
            LeafType.Int32 => ValueChecks.FirstBadToken(_ints.AsSpan(0, limit), _tokenLimit),
            LeafType.Int64 => ValueChecks.FirstBadToken(_longs.AsSpan(0, limit), _tokenLimit),
            LeafType.Float when !_allowNonFinite => ValueChecks.FirstNonFinite(_floats.AsSpan(0, limit)),
            LeafType.Double when !_allowNonFinite => ValueChecks.FirstNotFiniteFloat(_doubles.AsSpan(0, limit)),
            _ => -1,
        };
        if (bad < 0)
        {
            return;
        }
        int row = RowOfValue(bad);
        int local = bad - _offsets[row];
        string detail;
        if (LeafType is LeafType.Int32 or LeafType.Int64)
        {
            long v = LeafType == LeafType.Int32 ? _ints[bad] : _longs[bad];
            detail = _vocabSize > 0 && (v < 0 || v >= _vocabSize) ? $"token id {v} at time step {local} is outside [0, {_vocabSize})"
                : v < 0 ? $"token id {v} at time step {local} is negative"
                : $"token id {v} at time step {local} does not fit in int32";
        }
        else
        {
            double x = LeafType == LeafType.Float ? _floats[bad] : _doubles[bad];
            string where = $"at time step {local / _perStep}, feature {local % _perStep}";
            detail = double.IsFinite(x)
                ? $"feature value {x.ToString("R", CultureInfo.InvariantCulture)} {where} does not fit in float32"
                : $"feature value {x.ToString(CultureInfo.InvariantCulture)} {where} is not finite";
        }
        ValidRows = row;
        Problem = new RowProblem(row, detail);
    }

    /// <summary>The last row r in [0, ValidRows) with offsets[r] ≤ index (empty rows share offsets with the next).</summary>
    private int RowOfValue(int index)
    {
        int lo = 0, hi = ValidRows - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (_offsets[mid] <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    // ---- copying out the kept values ----

    /// <summary>Kept values of rows [start, start + count).</summary>
    public long KeptValues(int start, int count)
    {
        long steps = 0;
        foreach (int s in _steps.AsSpan(start, count))
        {
            steps += s;
        }
        return steps * _perStep;
    }

    /// <summary>How many rows from <paramref name="start"/> (at most <paramref name="maxRows"/>, at least 1) fit in <paramref name="valueBudget"/> kept values.</summary>
    public int RowsFitting(int start, int maxRows, long valueBudget)
    {
        long used = 0;
        for (int i = 0; i < maxRows; i++)
        {
            used += (long)_steps[start + i] * _perStep;
            if (used > valueBudget)
            {
                return Math.Max(i, 1);
            }
        }
        return maxRows;
    }

    /// <summary>Copies the kept token ids of rows [start, start + count) to <paramref name="destination"/>.</summary>
    public void CopyTokens(int start, int count, Span<int> destination)
    {
        if (LeafType == LeafType.Int32)
        {
            CopyKept<int, int>(_ints, start, count, destination, static (s, d) => s.CopyTo(d));
        }
        else
        {
            CopyKept<long, int>(_longs, start, count, destination, ValueChecks.Narrow);
        }
    }

    /// <summary>Copies the kept features of rows [start, start + count) to <paramref name="destination"/>.</summary>
    public void CopyFeatures(int start, int count, Span<float> destination)
    {
        if (LeafType == LeafType.Float)
        {
            CopyKept<float, float>(_floats, start, count, destination, static (s, d) => s.CopyTo(d));
        }
        else
        {
            CopyKept<double, float>(_doubles, start, count, destination, ValueChecks.Narrow);
        }
    }

    private delegate void Converter<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> destination);

    private void CopyKept<TFrom, TTo>(TFrom[] values, int start, int count, Span<TTo> destination, Converter<TFrom, TTo> convert)
    {
        int first = _offsets[start];
        int all = _offsets[start + count] - first;
        if (KeptValues(start, count) == all)
        {
            // nothing truncated: the rows' values are one contiguous run
            convert(values.AsSpan(first, all), destination[..all]);
            return;
        }
        int at = 0;
        for (int r = start; r < start + count; r++)
        {
            int kept = _steps[r] * _perStep;
            convert(values.AsSpan(_offsets[r], kept), destination.Slice(at, kept));
            at += kept;
        }
    }
}
