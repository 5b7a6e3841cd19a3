using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>Reads the top-level columns of an open file from its schema elements (the file's own footer).</summary>
internal sealed class SchemaInspector
{
    private readonly List<SchemaElement> _elements;
    private readonly DataField[] _leaves;
    private readonly Dictionary<string, int> _topLevel = new(StringComparer.Ordinal);

    public SchemaInspector(ParquetReader reader, string file)
    {
        _elements = reader.Metadata?.Schema ?? throw new InputDataException("the file has no schema", file: file);
        try
        {
            _leaves = reader.Schema.GetDataFields();
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InputDataException($"the file's schema cannot be read: {e.Message}", file: file, innerException: e);
        }
        if (_elements.Count == 0)
        {
            throw new InputDataException("the file has no schema", file: file);
        }
        int index = 1;
        int children = _elements[0].NumChildren ?? 0;
        for (int c = 0; c < children && index < _elements.Count; c++)
        {
            _topLevel.TryAdd(_elements[index].Name, index);
            index = SubtreeEnd(index);
        }
    }

    /// <summary>Top-level column names in schema order.</summary>
    public IReadOnlyCollection<string> ColumnNames => _topLevel.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();

    public bool Has(string name) => _topLevel.ContainsKey(name);

    /// <summary>The layout of top-level column <paramref name="name"/>, or null when the file has no such column.</summary>
    public ColumnLayout? Inspect(string name)
    {
        if (!_topLevel.TryGetValue(name, out int index))
        {
            return null;
        }
        var path = new List<string>();
        var emptyListLevels = new List<int>();
        int definition = 0, repetition = 0;
        bool nullable = false;
        string? groupKind = null;
        while (true)
        {
            SchemaElement se = _elements[index];
            path.Add(se.Name);
            switch (se.RepetitionType)
            {
                case FieldRepetitionType.OPTIONAL:
                    definition++;
                    if (repetition == 0)
                    {
                        nullable = true;
                    }
                    break;
                case FieldRepetitionType.REPEATED:
                    emptyListLevels.Add(definition);
                    definition++;
                    repetition++;
                    break;
            }
            int children = se.NumChildren ?? 0;
            if (children == 0)
            {
                break;
            }
            if (children > 1 || se.ConvertedType == ConvertedType.MAP || se.ConvertedType == ConvertedType.MAP_KEY_VALUE || se.LogicalType?.MAP is not null)
            {
                groupKind = se.ConvertedType is ConvertedType.MAP or ConvertedType.MAP_KEY_VALUE || se.LogicalType?.MAP is not null ? "map" : "struct";
                break;
            }
            index++;
        }

        DataField? leaf = groupKind is null ? FindLeaf(path) : null;
        bool levelsAgree = leaf is not null && leaf.MaxDefinitionLevel == definition && leaf.MaxRepetitionLevel == repetition;
        LeafType leafType = levelsAgree ? ToLeafType(leaf!.ClrType) : LeafType.Other;
        string leafName = groupKind ?? (leaf is null ? "unknown" : TypeName(leaf.ClrType));
        string typeName = string.Concat(Enumerable.Repeat("list<", repetition)) + leafName + new string('>', repetition);
        if (groupKind is null && leaf is not null && !levelsAgree)
        {
            typeName += " (with nesting levels this reader does not understand)";
        }
        return new ColumnLayout
        {
            Name = name,
            Leaf = levelsAgree ? leaf : null,
            LeafType = groupKind is null ? leafType : LeafType.Other,
            ListDepth = repetition,
            MaxDefinitionLevel = definition,
            EmptyListLevels = emptyListLevels.ToArray(),
            Nullable = nullable,
            TypeName = typeName,
        };
    }

    private DataField? FindLeaf(List<string> path)
    {
        foreach (DataField field in _leaves)
        {
            if (field.Path.Length == path.Count)
            {
                bool same = true;
                for (int i = 0; i < path.Count && same; i++)
                {
                    same = string.Equals(field.Path[i], path[i], StringComparison.Ordinal);
                }
                if (same)
                {
                    return field;
                }
            }
        }
        return null;
    }

    private int SubtreeEnd(int index)
    {
        int children = _elements[index].NumChildren ?? 0;
        int next = index + 1;
        for (int c = 0; c < children && next < _elements.Count; c++)
        {
            next = SubtreeEnd(next);
        }
        return next;
    }

    private static LeafType ToLeafType(System.Type t)
    {
        if (t == typeof(int))
        {
            return LeafType.Int32;
        }
        if (t == typeof(long))
        {
            return LeafType.Int64;
        }
        if (t == typeof(float))
        {
            return LeafType.Float;
        }
        if (t == typeof(double))
        {
            return LeafType.Double;
        }
        if (t == typeof(ReadOnlyMemory<char>) || t == typeof(string))
        {
            return LeafType.String;
        }
        return LeafType.Other;
    }

    private static string TypeName(System.Type t)
    {
        if (t == typeof(int)) return "int32";
        if (t == typeof(long)) return "int64";
        if (t == typeof(float)) return "float";
        if (t == typeof(double)) return "double";
        if (t == typeof(ReadOnlyMemory<char>) || t == typeof(string)) return "string";
        if (t == typeof(ReadOnlyMemory<byte>) || t == typeof(byte[])) return "binary";
        if (t == typeof(short)) return "int16";
        if (t == typeof(sbyte)) return "int8";
        if (t == typeof(byte)) return "uint8";
        if (t == typeof(ushort)) return "uint16";
        if (t == typeof(uint)) return "uint32";
        if (t == typeof(ulong)) return "uint64";
        if (t == typeof(bool)) return "boolean";
        if (t == typeof(Half)) return "float16";
        if (t == typeof(DateTime)) return "timestamp";
        if (t == typeof(DateOnly)) return "date";
        if (t == typeof(TimeSpan) || t == typeof(TimeOnly)) return "time";
        return t.Name.ToLowerInvariant();
    }
}
