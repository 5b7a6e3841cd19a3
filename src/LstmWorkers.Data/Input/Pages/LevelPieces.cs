namespace LstmWorkers.Data.Input.Pages;

/// <summary>The buffers <see cref="ColumnChunkDecoder{T}"/> decodes a page's levels through, a piece at a time; reused from chunk to chunk.</summary>
internal sealed class LevelPieces
{
    /// <summary>Levels per piece by default: 64 Ki, 256 KiB per buffer, where a row group's levels as arrays can take GBs.</summary>
    public const int DefaultLength = 1 << 16;

    private readonly int[] _definitions;
    private readonly int[] _repetitions;

    public LevelPieces(int length = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _definitions = new int[length];
        _repetitions = new int[length];
    }

    public int Length => _definitions.Length;

    public Span<int> Definitions => _definitions;

    public Span<int> Repetitions => _repetitions;
}
