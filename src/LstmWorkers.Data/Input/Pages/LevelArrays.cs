namespace LstmWorkers.Data.Input.Pages;

/// <summary>An <see cref="ILevelSink"/> that copies the levels into arrays (null: not wanted), as Parquet.Net's raw read gives them.</summary>
internal sealed class LevelArrays(Memory<int>? definitions, Memory<int>? repetitions) : ILevelSink
{
    private int _count;

    public void Add(ReadOnlySpan<int> pieceDefinitions, ReadOnlySpan<int> pieceRepetitions)
    {
        if (definitions is { } all)
        {
            pieceDefinitions.CopyTo(all.Span[_count..]);
        }
        if (repetitions is { } allRepetitions)
        {
            pieceRepetitions.CopyTo(allRepetitions.Span[_count..]);
        }
        _count += pieceDefinitions.Length;
    }

    public void Restart() => _count = 0;
}
