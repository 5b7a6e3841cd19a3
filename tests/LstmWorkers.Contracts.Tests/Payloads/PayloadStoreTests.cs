using LstmWorkers.Contracts.Payloads;

namespace LstmWorkers.Contracts.Tests.Payloads;

public sealed class PayloadStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmw-payloads-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Put_keeps_small_payloads_inline_and_large_ones_by_reference()
    {
        var store = new PayloadStore(_directory, inlineLimit: 4);
        var job = Guid.NewGuid();

        var small = await store.PutAsync(job, [1, 2, 3, 4], CancellationToken.None);
        var large = await store.PutAsync(job, [1, 2, 3, 4, 5], CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], small.Inline);
        Assert.Null(large.Inline);
        Assert.Equal(5, large.Length);
        Assert.Equal([1, 2, 3, 4, 5], await store.GetAsync(large, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteJob_removes_every_payload_of_that_job_only()
    {
        var store = new PayloadStore(_directory, inlineLimit: 0);
        Guid done = Guid.NewGuid(), running = Guid.NewGuid();
        var gone = await store.PutAsync(done, [1], CancellationToken.None);
        var kept = await store.PutAsync(running, [2], CancellationToken.None);

        store.DeleteJob(done);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync(gone, CancellationToken.None));
        Assert.Contains("its job ended", error.Message);
        Assert.Equal([2], await store.GetAsync(kept, CancellationToken.None));
    }

    [Fact]
    public async Task Get_refuses_a_reference_that_climbs_out_of_the_directory()
    {
        var store = new PayloadStore(_directory, inlineLimit: 0);

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => store.GetAsync(new Payload { File = "../../etc/passwd" }, CancellationToken.None));

        Assert.Contains("outside the payload directory", error.Message);
    }

    [Fact]
    public async Task Without_a_directory_everything_travels_inline()
    {
        var store = new PayloadStore(null, inlineLimit: 0);

        var payload = await store.PutAsync(Guid.NewGuid(), new byte[1000], CancellationToken.None);

        Assert.Equal(1000, payload.Inline!.Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
