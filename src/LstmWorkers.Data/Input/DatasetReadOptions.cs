namespace LstmWorkers.Data.Input;

/// <summary>What <see cref="DatasetReader"/> reads and how strictly it validates.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>
    /// The id column. Null: <c>"id"</c> when the files have it, else the global row number is the id.
    /// Given but absent from a file: an error.
    /// </summary>
    public string? IdColumn { get; init; }

    /// <summary>The sequence column. Null: <c>"tokens"</c> when present, else <c>"features"</c>, else an error.</summary>
    public string? SequenceColumn { get; init; }

    /// <summary>
    /// Features per time step. Required (&gt; 0) for feature columns: a flat list's length must be a multiple of it and
    /// every inner list of a nested one must hold exactly this many values. Ignored for token ids.
    /// </summary>
    public int InputSize { get; init; }

    /// <summary>When &gt; 0, token ids must lie in [0, VocabSize). Token ids must always be in [0, 2^31).</summary>
    public long VocabSize { get; init; }

    /// <summary>When false (the default), NaN and infinite features are rejected.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>When set, a row longer than this many time steps is rejected, or cut to it when <see cref="Truncate"/>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Cut rows longer than <see cref="MaxLength"/> instead of rejecting them.</summary>
    public bool Truncate { get; init; }

    /// <summary>When set, a row with more time steps than its results can hold (after truncation) is rejected.</summary>
    public StepLimit? StepLimit { get; init; }

    /// <summary>The most rows in one <see cref="RowChunk"/>.</summary>
    public int ChunkRows { get; init; } = 16384;

    /// <summary>The most time steps in one <see cref="RowChunk"/> (a chunk holds at least one row, whatever its length): for
    /// results that grow with the steps, as a ragged <c>output</c> does.</summary>
    public long ChunkSteps { get; init; } = long.MaxValue;

    /// <summary>How many levels the page decoder hands to the row walk at a time (tests make it small, so that rows cross pieces).</summary>
    internal int LevelPiece { get; init; } = Pages.LevelPieces.DefaultLength;

    internal void Validate()
    {
        if (ChunkRows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkRows), ChunkRows, "ChunkRows must be positive.");
        }
        if (ChunkSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSteps), ChunkSteps, "ChunkSteps must be positive.");
        }
        if (LevelPiece <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LevelPiece), LevelPiece, "LevelPiece must be positive.");
        }
        if (InputSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "InputSize must not be negative.");
        }
        if (MaxLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must not be negative.");
        }
        if (IdColumn is "")
        {
            throw new ArgumentException("IdColumn must not be empty.", nameof(IdColumn));
        }
        if (SequenceColumn is "")
        {
            throw new ArgumentException("SequenceColumn must not be empty.", nameof(SequenceColumn));
        }
    }
}
