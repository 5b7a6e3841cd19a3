using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Coordinator.Tests.Jobs;

[CollectionDefinition(nameof(WrittenMemoryTests), DisableParallelization = true)]
public sealed class WrittenMemoryCollection;

/// <summary>Counts full collections, so it runs alone: no other test's allocations may set one off meanwhile.</summary>
[Collection(nameof(WrittenMemoryTests))]
public sealed class WrittenMemoryTests
{
    [Fact]
    public void A_full_collection_runs_each_time_the_results_written_reach_the_threshold_and_not_before()
    {
        var memory = new WrittenMemory(collectEvery: 100);
        int before = GC.CollectionCount(GC.MaxGeneration);

        memory.Add(60);
        int afterFirst = GC.CollectionCount(GC.MaxGeneration);
        memory.Add(40);
        int afterThreshold = GC.CollectionCount(GC.MaxGeneration);
        memory.Add(99);
        memory.Add(1);
        int afterSecond = GC.CollectionCount(GC.MaxGeneration);

        Assert.Equal(before, afterFirst); // nothing else in the test collects fully: the GC only does so under pressure
        Assert.True(afterThreshold > afterFirst, "no full collection at 100 bytes written");
        Assert.True(afterSecond > afterThreshold, "no full collection at the next 100 bytes");
    }
}
