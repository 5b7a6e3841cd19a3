namespace LstmWorkers.Cli.Cluster;

/// <summary>The cluster reported the job as failed or rejected; the message is the coordinator's reason.</summary>
public sealed class ClusterJobFailedException(string message) : Exception(message);
