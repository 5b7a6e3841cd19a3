namespace LstmWorkers.Data.Input.Columns;

/// <summary>The value type of a column's leaf, as far as this reader cares.</summary>
internal enum LeafType
{
    Other,
    Int32,
    Int64,
    Float,
    Double,
    String,
}
