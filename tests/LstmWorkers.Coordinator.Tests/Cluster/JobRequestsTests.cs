using System.Diagnostics;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Cluster;
using LstmWorkers.Core.Files;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Coordinator.Tests.Cluster;

public sealed class JobRequestsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lstmw-requests-" + Guid.NewGuid().ToString("N"));

    public JobRequestsTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        File.Copy(Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), Path.Combine(_root, "in", "part-0.parquet"));
        File.Copy(Fixtures.PathOf("models/e2e_tokens.safetensors"), Path.Combine(_root, "model.safetensors"));
    }

    private DataRoots Roots => new([_root], "coordinator");

    [Fact]
    public void An_input_directory_holding_a_fifo_is_refused_naming_it()
    {
        string fifo = Path.Combine(_root, "in", "part-1.parquet");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var error = Assert.Throws<ArgumentException>(() => JobRequests.Resolve(Job("in"), Roots));

        Assert.Equal($"the input file '{fifo}' is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Fact]
    public void A_model_linked_from_outside_the_root_is_refused()
    {
        string outside = Path.Combine(Path.GetTempPath(), "lstmw-outside-" + Guid.NewGuid().ToString("N") + ".safetensors");
        File.Copy(Path.Combine(_root, "model.safetensors"), outside);
        File.CreateSymbolicLink(Path.Combine(_root, "linked.safetensors"), outside);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => JobRequests.Resolve(Job("in") with { ModelPath = "linked.safetensors" }, Roots));

            Assert.Contains("outside the coordinator's data roots", error.Message);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void The_request_holds_the_real_paths_that_were_checked()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "current"), "in");

        var request = JobRequests.Resolve(Job("current"), Roots);

        Assert.Equal(Path.Combine(_root, "in"), request.Input);
        Assert.Equal(Path.Combine(_root, "model.safetensors"), request.ModelPath);
        Assert.Equal(Path.Combine(_root, "in", "out.parquet"), request.OutputPath);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SubmitEncodeJob Job(string input) => new()
    {
        JobId = Guid.NewGuid(),
        Input = input,
        ModelPath = "model.safetensors",
        OutputPath = "current/out.parquet",
        Outputs = "h_n",
    };
}
