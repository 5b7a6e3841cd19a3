namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Takes a column chunk's definition and repetition levels in order, a piece at a time (<see cref="ColumnChunkDecoder{T}"/>
/// decodes them through a small buffer instead of into arrays the size of the row group).
/// </summary>
internal interface ILevelSink
{
    /// <summary>
    /// The levels of the next entries, both spans of the same length: 0s where the column's maximum level is 0.
    /// The spans are valid only during the call.
    /// </summary>
    void Add(ReadOnlySpan<int> definitions, ReadOnlySpan<int> repetitions);

    /// <summary>Forgets the levels given so far: the chunk is read again from its start (by another reader).</summary>
    void Restart();
}
