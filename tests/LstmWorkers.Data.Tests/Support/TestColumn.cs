using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Tests.Support;

/// <summary>
/// A column of test input, written with Parquet.Net's raw API so that every layout can be produced: null rows, null
/// elements, empty lists, nested lists, legacy repeated fields, REQUIRED or OPTIONAL values.
/// </summary>
public abstract class TestColumn
{
    public abstract Field Field { get; }

    public abstract int RowCount { get; }

    public abstract Task WriteAsync(ParquetRowGroupWriter group, int start, int count);

    public static TestColumn Int64(string name, long?[] values, bool nullable = true) => new Primitive<long>(name, values, nullable);

    public static TestColumn Int32(string name, int?[] values, bool nullable = true) => new Primitive<int>(name, values, nullable);

    public static TestColumn Double(string name, double?[] values) => new Primitive<double>(name, values, true);

    public static TestColumn String(string name, string?[] values, bool nullable = true) => new Strings(name, values, nullable);

    /// <summary>A 3-level list column (OPTIONAL list, REPEATED group, element OPTIONAL or REQUIRED).</summary>
    public static TestColumn List<T>(string name, IReadOnlyList<T?[]?> rows, bool elementNullable = true) where T : struct =>
        new ListColumn<T>(name, rows, elementNullable);

    /// <summary>A list of lists: [row][step][feature].</summary>
    public static TestColumn Nested<T>(string name, IReadOnlyList<T?[]?[]?> rows, bool elementNullable = true) where T : struct =>
        new NestedColumn<T>(name, rows, elementNullable);

    /// <summary>A bare REPEATED primitive (legacy list without a LIST group), as Parquet.Net writes arrays.</summary>
    public static TestColumn Repeated<T>(string name, IReadOnlyList<T[]> rows) where T : struct => new RepeatedColumn<T>(name, rows);

    private sealed class Primitive<T>(string name, T?[] values, bool nullable) : TestColumn where T : struct
    {
        private readonly DataField _field = new DataField<T>(name, nullable);

        public override Field Field => _field;

        public override int RowCount => values.Length;

        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) => nullable
            ? group.WriteAsync<T>(_field, values.AsMemory(start, count))
            : group.WriteAsync<T>(_field, values.Skip(start).Take(count).Select(v => v!.Value).ToArray().AsMemory());
    }

    private sealed class Strings(string name, string?[] values, bool nullable) : TestColumn
    {
        private readonly DataField _field = new DataField<string>(name, nullable);

        public override Field Field => _field;

        public override int RowCount => values.Length;

        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
            group.WriteAsync(_field, values.Skip(start).Take(count).ToArray());
    }

    private sealed class ListColumn<T> : TestColumn where T : struct
    {
        private readonly IReadOnlyList<T?[]?> _rows;
        private readonly DataField _leaf;

        public ListColumn(string name, IReadOnlyList<T?[]?> rows, bool elementNullable)
        {
            _rows = rows;
            _leaf = new DataField<T>(ListField.ElementName, elementNullable);
            Field = new ListField(name, _leaf);
        }

        public override Field Field { get; }

        public override int RowCount => _rows.Count;

        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count)
        {
            int max = _leaf.MaxDefinitionLevel;
            var values = new List<T>();
            var def = new List<int>();
            var rep = new List<int>();
            for (int r = start; r < start + count; r++)
            {
                T?[]? row = _rows[r];
                if (row is null || row.Length == 0)
                {
                    def.Add(row is null ? 0 : 1);
                    rep.Add(0);
                    continue;
                }
                for (int k = 0; k < row.Length; k++)
                {
                    rep.Add(k == 0 ? 0 : 1);
                    def.Add(row[k] is null ? 2 : max);
                    if (row[k] is { } v)
                    {
                        values.Add(v);
                    }
                }
            }
            return group.WriteAllPartsAsync<T>(_leaf, values.ToArray(), def.ToArray(), rep.ToArray(), CancellationToken.None);
        }
    }

    private sealed class NestedColumn<T> : TestColumn where T : struct
    {
        private readonly IReadOnlyList<T?[]?[]?> _rows;
        private readonly DataField _leaf;

        public NestedColumn(string name, IReadOnlyList<T?[]?[]?> rows, bool elementNullable)
        {
            _rows = rows;
            _leaf = new DataField<T>(ListField.ElementName, elementNullable);
            Field = new ListField(name, new ListField(ListField.ElementName, _leaf));
        }

        public override Field Field { get; }

        public override int RowCount => _rows.Count;

        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count)
        {
            // levels: 0 null row, 1 empty row, 2 null step, 3 empty step, 4 null value (nullable elements), max = value
            int max = _leaf.MaxDefinitionLevel;
            var values = new List<T>();
            var def = new List<int>();
            var rep = new List<int>();
            for (int r = start; r < start + count; r++)
            {
                T?[]?[]? row = _rows[r];
                if (row is null || row.Length == 0)
                {
                    def.Add(row is null ? 0 : 1);
                    rep.Add(0);
                    continue;
                }
                for (int t = 0; t < row.Length; t++)
                {
                    int stepRep = t == 0 ? 0 : 1;
                    T?[]? step = row[t];
                    if (step is null || step.Length == 0)
                    {
                        def.Add(step is null ? 2 : 3);
                        rep.Add(stepRep);
                        continue;
                    }
                    for (int j = 0; j < step.Length; j++)
                    {
                        rep.Add(j == 0 ? stepRep : 2);
                        def.Add(step[j] is null ? 4 : max);
                        if (step[j] is { } v)
                        {
                            values.Add(v);
                        }
                    }
                }
            }
            return group.WriteAllPartsAsync<T>(_leaf, values.ToArray(), def.ToArray(), rep.ToArray(), CancellationToken.None);
        }
    }

    private sealed class RepeatedColumn<T>(string name, IReadOnlyList<T[]> rows) : TestColumn where T : struct
    {
        private readonly DataField _field = new DataField<T[]>(name);

        public override Field Field => _field;

        public override int RowCount => rows.Count;

        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count)
        {
            var values = new List<T>();
            var def = new List<int>();
            var rep = new List<int>();
            for (int r = start; r < start + count; r++)
            {
                T[] row = rows[r];
                if (row.Length == 0)
                {
                    def.Add(0);
                    rep.Add(0);
                }
                for (int k = 0; k < row.Length; k++)
                {
                    def.Add(1);
                    rep.Add(k == 0 ? 0 : 1);
                    values.Add(row[k]);
                }
            }
            return group.WriteAllPartsAsync<T>(_field, values.ToArray(), def.ToArray(), rep.ToArray(), CancellationToken.None);
        }
    }
}
