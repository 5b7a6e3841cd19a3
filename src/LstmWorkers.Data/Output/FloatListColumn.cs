using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Output;

/// <summary>
/// A <c>list&lt;float&gt;</c> column (REQUIRED elements) whose rows all hold exactly <see cref="RowSize"/> floats (possibly 0), so
/// its definition levels are constant and its repetition levels are 0 at each row start, 1 elsewhere. Both level
/// arrays are cached and only grow: the levels of n rows are a prefix of the levels of more rows.
/// </summary>
internal sealed class FloatListColumn
{
    private readonly DataField _element;
    private int[] _definition = [];
    private int[] _repetition = [];

    public FloatListColumn(string name, int rowSize)
    {
        RowSize = rowSize;
        _element = new DataField<float>(ListField.ElementName, nullable: false);
        Field = new ListField(name, _element);
    }

    public ListField Field { get; }

    public int RowSize { get; }

    public Task WriteAsync(ParquetRowGroupWriter group, float[] values, int startRow, int rows, CancellationToken cancellationToken)
    {
        if (RowSize == 0)
        {
            return WriteEmptyListsAsync(group, rows, cancellationToken);
        }

        int count = checked(rows * RowSize);
        EnsureLevels(count);
        return group.WriteAllPartsAsync<float>(_element,
            values.AsMemory(checked(startRow * RowSize), count),
            _definition.AsMemory(0, count),
            _repetition.AsMemory(0, count),
            cancellationToken);
    }

    /// <summary>Rows of 0 floats (<c>output</c> when T = 0): an empty list each, one level entry and no value.</summary>
    private Task WriteEmptyListsAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken)
    {
        var definition = new int[rows];
        definition.AsSpan().Fill(_element.MaxDefinitionLevel - 1);
        return group.WriteAllPartsAsync<float>(_element, ReadOnlyMemory<float>.Empty, definition, new int[rows], cancellationToken);
    }

    private void EnsureLevels(int count)
    {
        if (_definition.Length >= count)
        {
            return;
        }
        int capacity = (int)Math.Min(Array.MaxLength, Math.Max(count, _definition.Length * 2L));
        capacity -= capacity % RowSize;
        capacity = Math.Max(capacity, count);
        _definition = new int[capacity];
        _definition.AsSpan().Fill(_element.MaxDefinitionLevel);
        _repetition = new int[capacity];
        _repetition.AsSpan().Fill(1);
        for (int i = 0; i < capacity; i += RowSize)
        {
            _repetition[i] = 0;
        }
    }
}
