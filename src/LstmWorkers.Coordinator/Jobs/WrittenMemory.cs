namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Gives back the memory of the windows written. A window's result arrays, its batches' arrays and the Parquet writer's
/// page buffers are large objects, which .NET frees only in a full collection, and a process with memory to spare puts
/// that off: on the benchmark's full-output job (1 GB of results) an embedded run peaked at 5.0 GB, although it runs
/// within a 1.5 GiB heap limit. A blocking full collection each time another
/// <see cref="CoordinatorOptions.WindowBytes"/> of results has been written keeps the peak near the windows in flight
/// (docs/BENCHMARKS.md, "Memory"); the job ran faster with it, not slower, as its live heap is a few large arrays of
/// floats, with nothing in them to trace. Not thread-safe.
/// </summary>
internal sealed class WrittenMemory(long collectEvery)
{
    private long _sinceCollect;

    /// <summary>Counts a window's results as written, and collects once <c>collectEvery</c> bytes have been since the last time.</summary>
    public void Add(long bytes)
    {
        _sinceCollect += bytes;
        if (_sinceCollect >= collectEvery)
        {
            _sinceCollect = 0;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        }
    }
}
