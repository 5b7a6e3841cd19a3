using System.Text.Json.Serialization;

namespace LstmWorkers.Contracts.Jobs;

/// <summary>Where a job is; on the wire its name (<c>"Completed"</c>), as clients in any language read it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class JobStates
{
    public static bool IsFinished(this JobState state) => state is JobState.Completed or JobState.Failed or JobState.Cancelled;
}
