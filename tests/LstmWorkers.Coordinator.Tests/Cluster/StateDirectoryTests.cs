using LstmWorkers.Coordinator.Cluster;

namespace LstmWorkers.Coordinator.Tests.Cluster;

public sealed class StateDirectoryTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("lstmw-state-dir-").FullName;

    [Theory]
    [InlineData("data/state", "data")]
    [InlineData("state", "state/data")]
    [InlineData("data", "data")]
    public void A_state_directory_overlapping_a_data_root_is_refused(string state, string root)
    {
        var options = new CoordinatorOptions { StateDirectory = Path.Combine(_base, state), DataRoots = ["/nowhere", Path.Combine(_base, root)] };

        var result = new StateDirectoryValidation().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            $"the state directory '{Path.Combine(_base, state)}' and the data root '{Path.Combine(_base, root)}' overlap (one lies inside the other): " +
            "a job could write over the coordinator's records; give --state-dir outside every --data-root",
            result.FailureMessage);
    }

    [Fact]
    public void A_state_directory_reached_through_a_link_into_a_data_root_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_base, "data", "state"));
        Directory.CreateSymbolicLink(Path.Combine(_base, "state"), Path.Combine(_base, "data", "state"));
        var options = new CoordinatorOptions { StateDirectory = Path.Combine(_base, "state"), DataRoots = [Path.Combine(_base, "data")] };

        Assert.True(new StateDirectoryValidation().Validate(null, options).Failed);
    }

    [Fact]
    public void A_state_directory_beside_the_data_roots_is_accepted()
    {
        var options = new CoordinatorOptions { StateDirectory = Path.Combine(_base, "state"), DataRoots = [Path.Combine(_base, "data")] };

        Assert.True(new StateDirectoryValidation().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_default_state_directory_is_outside_the_default_data_root()
    {
        var options = new CoordinatorOptions();

        Assert.True(new StateDirectoryValidation().Validate(null, options).Succeeded, options.EffectiveStateDirectory);
        Assert.EndsWith(Path.Combine(".local", "state", "lstmw"), options.EffectiveStateDirectory);
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);
}
