namespace LstmWorkers.Data.Input.Columns;

/// <summary>The first bad row of a row group: its index inside the group and what is wrong with it.</summary>
internal readonly record struct RowProblem(int Row, string Detail);
