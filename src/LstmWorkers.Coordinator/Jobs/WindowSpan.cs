namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Window <paramref name="Index"/> of a job: the dataset's rows [<paramref name="FirstRow"/>, <paramref name="FirstRow"/> + <paramref name="Rows"/>).</summary>
public sealed record WindowSpan(int Index, long FirstRow, int Rows);
