using System.Diagnostics.Metrics;

namespace LstmWorkers.Worker;

/// <summary>The worker's meter, <c>LstmWorkers.Worker</c>: batches, tokens, time in queue and time to encode.</summary>
public sealed class WorkerMetrics : IDisposable
{
    private readonly Meter _meter = new("LstmWorkers.Worker");
    private readonly Counter<long> _batches;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _duration;

    public WorkerMetrics()
    {
        _batches = _meter.CreateCounter<long>("lstmw.worker.batches", description: "Batches handled, by outcome (encoded, failed)");
        _tokens = _meter.CreateCounter<long>("lstmw.worker.tokens", description: "Time steps encoded");
        _queueWait = _meter.CreateHistogram<double>("lstmw.worker.queue_wait", "ms", "From a batch's send to the start of its encoding");
        _duration = _meter.CreateHistogram<double>("lstmw.worker.batch_duration", "ms", "Time to encode a batch");
    }

    public void Encoded(string device, long tokens, TimeSpan queueWait, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("device", device);
        _batches.Add(1, tag, new KeyValuePair<string, object?>("outcome", "encoded"));
        _tokens.Add(tokens, tag);
        _queueWait.Record(queueWait.TotalMilliseconds, tag);
        _duration.Record(duration.TotalMilliseconds, tag);
    }

    public void Failed(string device) =>
        _batches.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("outcome", "failed"));

    public void Dispose() => _meter.Dispose();
}
