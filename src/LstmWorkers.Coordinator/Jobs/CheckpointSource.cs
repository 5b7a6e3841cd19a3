using System.Text.Json;
using System.Text.Json.Serialization;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// What a job's checkpointed windows, or its committed parts, are made from: every input file with its size and
/// modification time, the model's SHA-256, each setting that changes a window's bytes, and the shards' size. A rerun
/// reuses a window or a part only when all of this is the same; a window's rows are in its file's name
/// (<see cref="CheckpointSink"/>), a part's follow from the plan (<see cref="Planning.ShardPlanner"/>).
/// </summary>
public sealed record CheckpointSource
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required string Version { get; init; }

    public required IReadOnlyList<CheckpointInput> Inputs { get; init; }

    public required string ModelSha256 { get; init; }

    public required string Outputs { get; init; }

    public required string OutputLayout { get; init; }

    /// <summary>T as the job asked for it (<c>--total-length</c>), which also bounds or cuts the rows.</summary>
    public int? RequestedTotalLength { get; init; }

    /// <summary>T of the windows' <c>output</c> column (the one asked for, or the longest row when it was found first).</summary>
    public int WindowTotalLength { get; init; }

    public bool Truncate { get; init; }

    public float PaddingValue { get; init; }

    public string? IdColumn { get; init; }

    public string? SequenceColumn { get; init; }

    public bool AllowNonFinite { get; init; }

    /// <summary>The most rows of a shard, which the plan follows from; null: the whole input is one shard.</summary>
    public long? RowsPerShard { get; init; }

    public static CheckpointSource Of(EncodeJobRequest request, IEnumerable<string> inputFiles, string modelSha256, JobShape shape,
        long? rowsPerShard) => new()
    {
        Version = EncodingMetadata.FormatVersion,
        Inputs = inputFiles.Select(file => new FileInfo(file)).Select(f => new CheckpointInput(f.FullName, f.Length, f.LastWriteTimeUtc.Ticks)).ToArray(),
        ModelSha256 = modelSha256,
        Outputs = OutputSelections.Format(request.Outputs),
        OutputLayout = Data.Output.OutputLayouts.Format(request.OutputLayout),
        RequestedTotalLength = request.TotalLength,
        WindowTotalLength = shape.TotalLength,
        Truncate = request.Truncate,
        PaddingValue = request.PaddingValue,
        IdColumn = request.IdColumn,
        SequenceColumn = request.SequenceColumn,
        AllowNonFinite = request.AllowNonFinite,
        RowsPerShard = rowsPerShard,
    };

    /// <summary>The record as it is kept beside the windows, and compared byte for byte.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

/// <param name="LastWriteTicks">The file's modification time, UTC, in 100 ns ticks.</param>
public sealed record CheckpointInput(string Path, long Length, long LastWriteTicks);
