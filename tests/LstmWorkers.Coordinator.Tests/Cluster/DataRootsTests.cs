using LstmWorkers.Coordinator.Cluster;

namespace LstmWorkers.Coordinator.Tests.Cluster;

public class DataRootsTests
{
    private static readonly DataRoots Roots = new(["/srv/data", "/mnt/shared/"]);

    [Theory]
    [InlineData("in.parquet", "/srv/data/in.parquet")]
    [InlineData("sub/../in.parquet", "/srv/data/in.parquet")]
    [InlineData("/mnt/shared/models/m.safetensors", "/mnt/shared/models/m.safetensors")]
    public void Resolve_accepts_paths_inside_a_root(string path, string expected)
    {
        Assert.Equal(expected, Roots.Resolve(path, "input"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("sub/../../escape.parquet")]
    [InlineData("/etc/passwd")]
    [InlineData("/srv/data-other/in.parquet")]
    [InlineData("/srv/data")]
    public void Resolve_refuses_paths_that_escape_every_root(string path)
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => Roots.Resolve(path, "output"));

        Assert.Contains("outside the coordinator's data roots (/srv/data, /mnt/shared)", error.Message);
    }
}
