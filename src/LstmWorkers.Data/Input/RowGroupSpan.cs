namespace LstmWorkers.Data.Input;

/// <summary>Row group <paramref name="Group"/> of the dataset's file <paramref name="File"/> (an index into
/// <see cref="DatasetReader.Files"/>), holding the dataset's <paramref name="Rows"/>, as its footer says.</summary>
public sealed record RowGroupSpan(int File, int Group, RowRange Rows);
