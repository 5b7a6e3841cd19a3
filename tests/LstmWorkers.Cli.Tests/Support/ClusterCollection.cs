namespace LstmWorkers.Cli.Tests.Support;

/// <summary>Tests that start a cluster (or push large messages through RabbitMQ) run one at a time: the
/// machine's cores are what the roles' batch timeouts are tuned for.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
