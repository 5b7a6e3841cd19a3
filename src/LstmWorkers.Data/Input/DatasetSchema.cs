namespace LstmWorkers.Data.Input;

/// <summary>The columns a <see cref="DatasetReader"/> uses, the same in every file of the dataset.</summary>
/// <param name="IdColumn">The id column's name; <c>"id"</c> when <paramref name="IdKind"/> is <see cref="Input.IdKind.RowNumber"/>.</param>
/// <param name="IdKind">The id column's type, or <see cref="Input.IdKind.RowNumber"/> when the dataset has no id column.</param>
/// <param name="IdNullable">True when the id column is OPTIONAL in at least one file, so ids may be null.</param>
/// <param name="SequenceColumn">The sequence column's name.</param>
/// <param name="SequenceKind">How the sequence column holds time steps.</param>
/// <param name="RowCount">Rows in all files together.</param>
public sealed record DatasetSchema(
    string IdColumn,
    IdKind IdKind,
    bool IdNullable,
    string SequenceColumn,
    SequenceKind SequenceKind,
    long RowCount);
