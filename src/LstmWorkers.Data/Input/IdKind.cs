namespace LstmWorkers.Data.Input;

/// <summary>The type of the id column.</summary>
public enum IdKind
{
    /// <summary>No id column: the global row number (int64, from 0 across files) is the id.</summary>
    RowNumber,

    /// <summary>An int64 column.</summary>
    Int64,

    /// <summary>An int32 column.</summary>
    Int32,

    /// <summary>A UTF-8 string column.</summary>
    String,
}
