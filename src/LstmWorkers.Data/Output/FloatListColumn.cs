using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Output;

/// <summary>
/// A <c>list&lt;float&gt;</c> column (REQUIRED elements). Either every row holds exactly <see cref="RowSize"/> floats
/// (possibly 0), so its definition levels are constant and its repetition levels are 0 at each row start, 1 elsewhere:
/// both level arrays are cached and only grow, the levels of n rows being a prefix of the levels of more rows. Or the
/// column is <see cref="PerStep"/>: row i holds lengths[i] × <see cref="RowSize"/> floats (a ragged <c>output</c>), and a
/// row group's levels are built from its rows' lengths.
/// <para>
/// The cached levels are shared by every column of the process with the same row size (<see cref="SharedLevels"/>
/// row sizes, the most recently used): a coordinator writes one part after another with the same columns, and building
/// them anew for each part cost fresh memory (2 × 4 bytes per float of a row group) and its page faults every time.
/// Once built, an array is only read, so columns on other threads may use it while a larger one replaces it.
/// </para>
/// </summary>
internal sealed class FloatListColumn
{
    /// <summary>How many row sizes' levels the process keeps: a job's <c>output</c>, <c>h_n</c>, <c>c_n</c> and pooled columns.</summary>
    public const int SharedLevels = 5;

    private static readonly List<FixedLevels> s_shared = [];
    private readonly DataField _element;

    public FloatListColumn(string name, int rowSize, bool perStep = false)
    {
        RowSize = rowSize;
        PerStep = perStep;
        _element = new DataField<float>(ListField.ElementName, nullable: false);
        Field = new ListField(name, _element);
    }

    public ListField Field { get; }

    /// <summary>Floats per row, or per step when <see cref="PerStep"/>.</summary>
    public int RowSize { get; }

    public bool PerStep { get; }

    /// <summary>The floats of a row of <paramref name="length"/> steps.</summary>
    public long RowFloats(int length) => PerStep ? (long)length * RowSize : RowSize;

    /// <summary>Writes rows [startRow, startRow + lengths.Length) of a chunk whose values for those rows begin at
    /// <paramref name="valueStart"/>; <paramref name="lengths"/> are those rows' lengths.</summary>
    public Task WriteAsync(ParquetRowGroupWriter group, float[] values, long valueStart, ReadOnlySpan<int> lengths, CancellationToken cancellationToken)
    {
        int rows = lengths.Length;
        if (PerStep)
        {
            return WriteRaggedAsync(group, values, valueStart, lengths, cancellationToken);
        }

        if (RowSize == 0)
        {
            return WriteEmptyListsAsync(group, rows, cancellationToken);
        }

        int count = checked(rows * RowSize);
        FixedLevels levels = LevelsOf(count);
        return group.WriteAllPartsAsync<float>(_element,
            values.AsMemory(checked((int)valueStart), count),
            levels.Definition.AsMemory(0, count),
            levels.Repetition.AsMemory(0, count),
            cancellationToken);
    }

    /// <summary>Rows of 0 floats (<c>output</c> when T = 0): an empty list each, one level entry and no value.</summary>
    private Task WriteEmptyListsAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken)
    {
        var definition = new int[rows];
        definition.AsSpan().Fill(_element.MaxDefinitionLevel - 1);
        return group.WriteAllPartsAsync<float>(_element, ReadOnlyMemory<float>.Empty, definition, new int[rows], cancellationToken);
    }

    /// <summary>Rows of their own sizes: one level entry per value, one for each empty row (a level below the element's).</summary>
    private Task WriteRaggedAsync(ParquetRowGroupWriter group, float[] values, long valueStart, ReadOnlySpan<int> lengths,
        CancellationToken cancellationToken)
    {
        long count = 0, entries = 0;
        foreach (int length in lengths)
        {
            long floats = RowFloats(length);
            count += floats;
            entries += Math.Max(1, floats);
        }

        var definition = new int[checked((int)entries)];
        var repetition = new int[definition.Length];
        definition.AsSpan().Fill(_element.MaxDefinitionLevel);
        repetition.AsSpan().Fill(1);
        int at = 0;
        foreach (int length in lengths)
        {
            long floats = RowFloats(length);
            repetition[at] = 0;
            if (floats == 0)
            {
                definition[at] = _element.MaxDefinitionLevel - 1;
            }

            at += (int)Math.Max(1, floats);
        }

        return group.WriteAllPartsAsync<float>(_element, values.AsMemory(checked((int)valueStart), checked((int)count)), definition, repetition,
            cancellationToken);
    }

    /// <summary>Levels of at least <paramref name="count"/> values of rows of <see cref="RowSize"/> floats.</summary>
    private FixedLevels LevelsOf(int count)
    {
        FixedLevels? known;
        lock (s_shared)
        {
            known = s_shared.Find(l => l.RowSize == RowSize && l.MaxDefinitionLevel == _element.MaxDefinitionLevel);
            if (known is not null && known.Definition.Length >= count)
            {
                return Use(known);
            }
        }
        int capacity = (int)Math.Min(Array.MaxLength, Math.Max(count, (known?.Definition.Length ?? 0) * 2L));
        capacity -= capacity % RowSize;
        capacity = Math.Max(capacity, count);
        var definition = new int[capacity];
        definition.AsSpan().Fill(_element.MaxDefinitionLevel);
        var repetition = new int[capacity];
        repetition.AsSpan().Fill(1);
        for (int i = 0; i < capacity; i += RowSize)
        {
            repetition[i] = 0;
        }
        lock (s_shared)
        {
            return Use(new FixedLevels(RowSize, _element.MaxDefinitionLevel, definition, repetition));
        }
    }

    /// <summary>Makes <paramref name="levels"/> the most recently used, the only one of its row size; call under the lock.</summary>
    private static FixedLevels Use(FixedLevels levels)
    {
        s_shared.RemoveAll(l => l.RowSize == levels.RowSize && l.MaxDefinitionLevel == levels.MaxDefinitionLevel);
        s_shared.Insert(0, levels);
        if (s_shared.Count > SharedLevels)
        {
            s_shared.RemoveAt(SharedLevels);
        }
        return levels;
    }

    private sealed record FixedLevels(int RowSize, int MaxDefinitionLevel, int[] Definition, int[] Repetition);
}
