using System.Diagnostics.Metrics;

namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>The coordinator's meter, <c>LstmWorkers.Coordinator</c>: batch round trips, resends and failures.</summary>
public sealed class DispatchMetrics : IDisposable
{
    private readonly Meter _meter = new("LstmWorkers.Coordinator");
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _resends;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _tokens;

    public DispatchMetrics()
    {
        _latency = _meter.CreateHistogram<double>("lstmw.coordinator.batch_latency", "ms", "From sending a batch to its result");
        _resends = _meter.CreateCounter<long>("lstmw.coordinator.batch_resends", description: "Batches sent again (timeout, broker outage)");
        _failures = _meter.CreateCounter<long>("lstmw.coordinator.batch_failures", description: "Batches that failed their job");
        _tokens = _meter.CreateCounter<long>("lstmw.coordinator.tokens", description: "Time steps encoded by workers");
    }

    public void Completed(TimeSpan latency, long tokens)
    {
        _latency.Record(latency.TotalMilliseconds);
        _tokens.Add(tokens);
    }

    public void Resent(string reason) => _resends.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Failed() => _failures.Add(1);

    public void Dispose() => _meter.Dispose();
}
