using Parquet.Schema;

namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// How one top-level column is stored in one file: its leaf, how deep its lists nest, and the definition levels that
/// tell a null list from an empty one. Worked out from the file's own schema elements, so 3-level lists (pyarrow,
/// DuckDB, Spark, Parquet.Net), legacy 2-level lists and bare repeated fields all come out the same.
/// </summary>
internal sealed class ColumnLayout
{
    public required string Name { get; init; }

    /// <summary>The leaf Parquet.Net reads; null when the column is a group this reader does not understand.</summary>
    public required DataField? Leaf { get; init; }

    public required LeafType LeafType { get; init; }

    /// <summary>0 for a plain value, 1 for a list, 2 for a list of lists.</summary>
    public required int ListDepth { get; init; }

    /// <summary>The leaf's definition level when its value is present.</summary>
    public required int MaxDefinitionLevel { get; init; }

    /// <summary>
    /// <c>EmptyListLevels[k]</c> is the definition level at which list <c>k</c> (0 = outermost) is present but empty;
    /// a lower level means list <c>k</c> (or something above it) is null.
    /// </summary>
    public required int[] EmptyListLevels { get; init; }

    /// <summary>True when some node on the path is OPTIONAL, so the top-level value (the row) can be null.</summary>
    public required bool Nullable { get; init; }

    /// <summary>A readable type such as <c>list&lt;int64&gt;</c> for messages.</summary>
    public required string TypeName { get; init; }

    /// <summary>Whether the column can be the sequence column, and as what.</summary>
    public SequenceKind? SequenceKind => (ListDepth, LeafType) switch
    {
        (1, LeafType.Int32 or LeafType.Int64) => Input.SequenceKind.TokenIds,
        (1, LeafType.Float or LeafType.Double) => Input.SequenceKind.FlatFeatures,
        (2, LeafType.Float or LeafType.Double) => Input.SequenceKind.NestedFeatures,
        _ => null,
    };

    /// <summary>Whether the column can be the id column, and as what.</summary>
    public IdKind? IdKind => (ListDepth, LeafType) switch
    {
        (0, LeafType.Int64) => Input.IdKind.Int64,
        (0, LeafType.Int32) => Input.IdKind.Int32,
        (0, LeafType.String) => Input.IdKind.String,
        _ => null,
    };

    public const string AcceptedSequenceTypes =
        "list<int32>, list<int64> (token ids), list<float>, list<double>, list<list<float>>, list<list<double>> (features)";

    public const string AcceptedIdTypes = "int64, int32, string";
}
