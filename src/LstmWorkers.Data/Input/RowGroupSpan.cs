namespace LstmWorkers.Data.Input;

/// <summary>Row group <paramref name="Group"/> of the dataset's file <paramref name="File"/> (an index into
/// <see cref="DatasetReader.Files"/>), holding the dataset's <paramref name="Rows"/> and <paramref name="SequenceValues"/> values
/// of the sequence column (token ids or features, an empty or null row counting one), as its footer says.</summary>
public sealed record RowGroupSpan(int File, int Group, RowRange Rows, long SequenceValues);
