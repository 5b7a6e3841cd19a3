using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// What a job's checkpointed windows are made from: every input file with its size and modification time, the model's
/// SHA-256, and each setting that changes a window's bytes. A rerun reuses a window only when all of this is the same;
/// a window's rows are in its file's name (<see cref="CheckpointSink"/>).
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

    public static CheckpointSource Of(EncodeJobRequest request, IEnumerable<string> inputFiles, string modelSha256, JobShape shape) => new()
    {
        Version = EncodeJob.Version,
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
    };

    /// <summary>The record as it is kept beside the windows, and compared byte for byte.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

/// <param name="LastWriteTicks">The file's modification time, UTC, in 100 ns ticks.</param>
public sealed record CheckpointInput(string Path, long Length, long LastWriteTicks);
