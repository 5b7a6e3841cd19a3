namespace LstmWorkers.Hosting;

/// <summary>Health endpoint and telemetry of a long-running role (section "Operations").</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>Port of the HTTP health endpoint (<c>/health/live</c>, <c>/health/ready</c>); 0 turns it off.</summary>
    public int HealthPort { get; set; }
}
