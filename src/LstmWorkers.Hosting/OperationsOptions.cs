namespace LstmWorkers.Hosting;

/// <summary>Health endpoint and telemetry of a long-running role (section "Operations").</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>Port of the HTTP health endpoint (<c>/health/live</c>, <c>/health/ready</c>); 0 turns it off.</summary>
    public int HealthPort { get; set; }

    /// <summary>
    /// The address the health endpoint listens on: loopback by default, so a process on a shared machine is not probed
    /// from outside; <c>*</c> for every interface (the container images set it, so probes reach the pod).
    /// </summary>
    public string HealthAddress { get; set; } = "127.0.0.1";
}
