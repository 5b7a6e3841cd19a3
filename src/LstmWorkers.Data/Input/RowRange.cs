namespace LstmWorkers.Data.Input;

/// <summary>Rows [<paramref name="First"/>, <paramref name="First"/> + <paramref name="Count"/>) of a dataset, numbered from 0 across its files.</summary>
public readonly record struct RowRange(long First, long Count)
{
    /// <summary>The row after the last.</summary>
    public long End => First + Count;
}
