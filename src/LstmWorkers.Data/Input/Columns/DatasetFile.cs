namespace LstmWorkers.Data.Input.Columns;

/// <summary>One file of a dataset as seen when it was opened.</summary>
/// <param name="Path">Full path.</param>
/// <param name="FirstRow">Global row number of its first row.</param>
/// <param name="RowCount">Its rows (the sum over its row groups).</param>
/// <param name="SequenceType">The sequence column's type, e.g. <c>list&lt;int64&gt;</c>.</param>
/// <param name="IdType">The id column's type, or null when rows are numbered.</param>
/// <param name="GroupRows">The rows of each row group, in order (they sum to <paramref name="RowCount"/>).</param>
/// <param name="GroupValues">The sequence column's values in each row group, as its footer counts them.</param>
internal sealed record DatasetFile(string Path, long FirstRow, long RowCount, string SequenceType, string? IdType, long[] GroupRows, long[] GroupValues);
