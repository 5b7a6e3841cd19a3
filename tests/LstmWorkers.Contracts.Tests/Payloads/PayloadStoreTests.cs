using LstmWorkers.Contracts.Payloads;

namespace LstmWorkers.Contracts.Tests.Payloads;

public sealed class PayloadStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lstmw-payloads-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Put_keeps_small_payloads_inline_and_large_ones_by_reference()
    {
        var (store, job) = StoreWithOpenJob(inlineLimit: 16);

        var small = await store.PutAsync(job, new[] { 1f, 2f, 3f, 4f }, CancellationToken.None);
        var large = await store.PutAsync(job, new[] { 1f, 2f, 3f, 4f, 5f }, CancellationToken.None);

        Assert.Equal(16, small.Inline!.Length);
        Assert.Null(large.Inline);
        Assert.Equal(20, large.Length);
        float[] smallValues = await store.GetAsync<float>(small, CancellationToken.None);
        float[] largeValues = await store.GetAsync<float>(large, CancellationToken.None);
        Assert.Equal([1f, 2f, 3f, 4f], smallValues);
        Assert.Equal([1f, 2f, 3f, 4f, 5f], largeValues);
    }

    [Fact]
    public async Task Inline_payloads_are_little_endian_bytes()
    {
        var store = new PayloadStore(null, inlineLimit: 0);

        var payload = await store.PutAsync(Guid.NewGuid(), new[] { 0x01020304, -1 }, CancellationToken.None);

        Assert.Equal([4, 3, 2, 1, 255, 255, 255, 255], payload.Inline);
    }

    [Fact]
    public async Task Get_refuses_bytes_that_are_not_whole_values()
    {
        var store = new PayloadStore(null, inlineLimit: 0);

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => store.GetAsync<float>(new Payload { Inline = [1, 2, 3] }, CancellationToken.None));

        Assert.Contains("3 bytes is not a whole number of Single values", error.Message);
    }

    [Fact]
    public async Task Get_refuses_a_payload_file_that_is_not_whole_values()
    {
        var (store, job) = StoreWithOpenJob();
        var payload = await store.PutAsync(job, new byte[] { 1, 2, 3, 4, 5, 6, 7 }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<float>(payload, CancellationToken.None));

        Assert.Contains("7 bytes is not a whole number of Single values", error.Message);
    }

    [Fact]
    public async Task Get_refuses_a_payload_file_larger_than_an_array_can_hold()
    {
        var (store, job) = StoreWithOpenJob();
        var payload = await store.PutAsync(job, new[] { 1f }, CancellationToken.None);
        using (var file = File.OpenWrite(Path.Combine(_directory, payload.File!)))
        {
            file.SetLength(3L << 30); // sparse: 3 GiB of zeros that take no disk
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<float>(payload, CancellationToken.None));

        Assert.Contains("more than one array can", error.Message);
    }

    [Fact]
    public async Task A_large_payload_file_comes_back_value_for_value()
    {
        var (store, job) = StoreWithOpenJob();
        var values = Enumerable.Range(0, 3_000_001).Select(i => i * 0.5f - 7f).ToArray(); // 12 MB: more than one read may return

        var payload = await store.PutAsync(job, values, CancellationToken.None);

        Assert.Equal(values.Length * 4L, new FileInfo(Path.Combine(_directory, payload.File!)).Length);
        Assert.Equal(values, await store.GetAsync<float>(payload, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteJob_removes_every_payload_of_that_job_only()
    {
        var store = new PayloadStore(_directory, inlineLimit: 0);
        Guid done = Guid.NewGuid(), running = Guid.NewGuid();
        store.OpenJob(done);
        store.OpenJob(running);
        var gone = await store.PutAsync(done, new[] { 1 }, CancellationToken.None);
        var kept = await store.PutAsync(running, new[] { 2 }, CancellationToken.None);

        store.DeleteJob(done);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<int>(gone, CancellationToken.None));
        Assert.Contains("its job ended", error.Message);
        int[] keptValues = await store.GetAsync<int>(kept, CancellationToken.None);
        Assert.Equal([2], keptValues);
    }

    [Fact]
    public async Task A_payload_put_after_its_job_ended_is_refused_and_leaves_nothing()
    {
        var (store, job) = StoreWithOpenJob();
        await store.PutAsync(job, new[] { 1 }, CancellationToken.None);
        store.DeleteJob(job);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.PutAsync(job, new[] { 2 }, CancellationToken.None));

        Assert.Equal($"job {job} has no payload folder in {_directory}: the job ended (or never started here)", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_worker_s_payload_is_put_into_the_folder_its_job_opened()
    {
        var coordinator = new PayloadStore(_directory, inlineLimit: 0);
        var worker = new PayloadStore(_directory, inlineLimit: 0);
        var job = Guid.NewGuid();
        coordinator.OpenJob(job);

        var reply = await worker.PutAsync(job, new[] { 5f }, CancellationToken.None);

        float[] values = await coordinator.GetAsync<float>(reply, CancellationToken.None);
        Assert.Equal([5f], values);
        Assert.StartsWith(job.ToString("N") + "/", reply.File);
    }

    [Fact]
    public async Task DeleteJob_removes_the_folder_while_payloads_are_being_put_into_it()
    {
        var (store, job) = StoreWithOpenJob();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await store.PutAsync(job, new int[1024], CancellationToken.None);
                }
                catch (InvalidDataException)
                {
                    return; // the folder is gone: nothing more can be put
                }
            }
        });
        await Task.Delay(50);

        store.DeleteJob(job);
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public void DeleteJob_of_a_job_never_opened_or_already_deleted_does_nothing()
    {
        var store = new PayloadStore(_directory, inlineLimit: 0);
        var job = Guid.NewGuid();

        store.DeleteJob(job); // the directory itself does not exist yet
        store.OpenJob(job);
        store.DeleteJob(job);
        store.DeleteJob(job);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public async Task Get_refuses_a_reference_that_climbs_out_of_the_directory()
    {
        var store = new PayloadStore(_directory, inlineLimit: 0);

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => store.GetAsync<byte>(new Payload { File = "../../etc/passwd" }, CancellationToken.None));

        Assert.Contains("outside the payload directory", error.Message);
    }

    [Fact]
    public async Task Without_a_directory_everything_travels_inline()
    {
        var store = new PayloadStore(null, inlineLimit: 0);

        var payload = await store.PutAsync(Guid.NewGuid(), new float[1000], CancellationToken.None);

        Assert.Equal(4000, payload.Inline!.Length);
    }

    [Fact]
    public async Task In_process_payloads_are_the_arrays_themselves_until_deleted()
    {
        var store = PayloadStore.InProcess();
        Guid done = Guid.NewGuid(), running = Guid.NewGuid();
        float[] values = [1f, 2f];
        var payload = await store.PutAsync(done, values, CancellationToken.None);
        var deleted = await store.PutAsync(done, new[] { 3 }, CancellationToken.None);
        var kept = await store.PutAsync(running, new[] { 4 }, CancellationToken.None);

        Assert.Null(payload.Inline);
        Assert.Equal(8, payload.Length);
        Assert.Same(values, await store.GetAsync<float>(payload, CancellationToken.None));
        var wrongType = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<int>(payload, CancellationToken.None));
        Assert.Contains("holds Single[], not Int32[]", wrongType.Message);

        store.Delete(deleted);
        store.DeleteJob(done);

        foreach (var gone in new[] { payload, deleted })
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<int>(gone, CancellationToken.None));
            Assert.Contains("not in this process's memory", error.Message);
        }

        int[] keptValues = await store.GetAsync<int>(kept, CancellationToken.None);
        Assert.Equal([4], keptValues);
    }

    /// <summary>A store on the test's directory, with a job whose folder is open.</summary>
    private (PayloadStore Store, Guid Job) StoreWithOpenJob(int inlineLimit = 0)
    {
        var store = new PayloadStore(_directory, inlineLimit);
        var job = Guid.NewGuid();
        store.OpenJob(job);
        return (store, job);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
