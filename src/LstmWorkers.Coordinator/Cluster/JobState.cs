namespace LstmWorkers.Coordinator.Cluster;

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
