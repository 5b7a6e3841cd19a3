namespace LstmWorkers.Contracts.Jobs;

/// <summary>
/// Command (a request to the coordinator): encode <see cref="Input"/> with <see cref="ModelPath"/>
/// into <see cref="OutputPath"/>. Paths are resolved on the coordinator and must lie under one of
/// its data roots. Replied to with <see cref="JobAccepted"/> or <see cref="JobRejected"/>; the job
/// then publishes <see cref="JobProgressed"/>, and finally <see cref="JobCompleted"/> or <see cref="JobFailed"/>.
/// </summary>
public record SubmitEncodeJob
{
    /// <summary>Chosen by the client, so a resubmitted command is recognised as the same job.</summary>
    public Guid JobId { get; init; }

    public string Input { get; init; } = "";

    public string ModelPath { get; init; } = "";

    /// <summary>The output file, or a dataset's directory when the path ends in <c>/</c> or names a directory on the coordinator.</summary>
    public string OutputPath { get; init; } = "";

    /// <summary>The most rows of a dataset's part (null: about 256 MiB of results); only for a dataset output.</summary>
    public long? RowsPerPart { get; init; }

    /// <summary>Replace a previous dataset at <see cref="OutputPath"/>, which is refused otherwise.</summary>
    public bool Overwrite { get; init; }

    public int? TotalLength { get; init; }

    public bool Truncate { get; init; }

    /// <summary>Comma-separated: output, h_n, c_n, pooled_mean, pooled_max.</summary>
    public string Outputs { get; init; } = "output,h_n,c_n";

    /// <summary><c>padded</c> (every row's output padded to T) or <c>ragged</c> (only the row's own steps).</summary>
    public string OutputLayout { get; init; } = "padded";

    public string? IdColumn { get; init; }

    public string? SequenceColumn { get; init; }

    public float PaddingValue { get; init; }

    public bool AllowNonFinite { get; init; }
}
