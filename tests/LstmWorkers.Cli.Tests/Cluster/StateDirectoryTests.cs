using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>A coordinator whose state directory overlaps a data root refuses to start, before touching a broker: a job
/// could otherwise write over its records (<c>--out lstmw-state/jobs/x.json</c> broke every later start).</summary>
public sealed class StateDirectoryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task A_coordinator_whose_state_directory_lies_in_its_data_root_exits_with_one_error_line()
    {
        var result = await Lstmw.RunAsync("coordinator", "--broker", "amqp://localhost:1/", "--state-dir", _data.File("state"), "--data-root", _data.Path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(
            $"lstmw: error: the state directory '{_data.File("state")}' and the data root '{_data.Path}' overlap (one lies inside the other): " +
            "a job could write over the coordinator's records; give --state-dir outside every --data-root",
            result.Error.Trim());
        Assert.False(Directory.Exists(_data.File("state")), "the coordinator made its state directory before refusing it");
    }

    public void Dispose() => _data.Dispose();
}
