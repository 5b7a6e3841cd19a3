using System.Diagnostics;
using LstmWorkers.Core.Files;

namespace LstmWorkers.Core.Tests.Files;

public sealed class DataRootsTests : IDisposable
{
    private static readonly DataRoots Absent = new(["/srv/lstmw-absent-data", "/mnt/lstmw-absent-shared/"], "coordinator");
    private readonly string _base = Path.Combine(Path.GetTempPath(), "lstmw-roots-" + Guid.NewGuid().ToString("N"));

    public DataRootsTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    private string Root => Path.Combine(_base, "root");

    private string Outside => Path.Combine(_base, "outside");

    [Theory]
    [InlineData("in.parquet", "/srv/lstmw-absent-data/in.parquet")]
    [InlineData("sub/../in.parquet", "/srv/lstmw-absent-data/in.parquet")]
    [InlineData("/mnt/lstmw-absent-shared/models/m.safetensors", "/mnt/lstmw-absent-shared/models/m.safetensors")]
    [InlineData("/srv/lstmw-absent-data", "/srv/lstmw-absent-data")] // a root itself: a directory of input files
    public void Resolve_accepts_paths_inside_a_root(string path, string expected)
    {
        Assert.Equal(expected, Absent.Resolve(path, "input"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("sub/../../escape.parquet")]
    [InlineData("/etc/passwd")]
    [InlineData("/srv/lstmw-absent-data-other/in.parquet")]
    public void Resolve_refuses_paths_that_escape_every_root(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => Absent.Resolve(path, "output"));

        Assert.Contains("outside the coordinator's data roots (/srv/lstmw-absent-data, /mnt/lstmw-absent-shared)", error.Message);
    }

    [Fact]
    public void A_link_inside_a_root_to_a_directory_outside_does_not_let_an_output_escape()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "out"), Outside);

        var error = Assert.Throws<ArgumentException>(() => Roots().Resolve(Path.Combine(Root, "out", "a.parquet"), "output"));

        Assert.Contains($"resolves to '{Path.Combine(Outside, "a.parquet")}', which is outside the coordinator's data roots", error.Message);
    }

    [Fact]
    public void A_link_to_a_file_outside_is_refused_as_an_input()
    {
        File.WriteAllText(Path.Combine(Outside, "secret.parquet"), "x");
        File.CreateSymbolicLink(Path.Combine(Root, "in.parquet"), Path.Combine(Outside, "secret.parquet"));

        Assert.Throws<ArgumentException>(() => Roots().ResolveFile(Path.Combine(Root, "in.parquet"), "input"));
    }

    [Fact]
    public void A_dangling_link_to_a_file_outside_is_refused_as_an_output()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "out.parquet"), Path.Combine(Outside, "new.parquet"));

        Assert.Throws<ArgumentException>(() => Roots().Resolve("out.parquet", "output"));
    }

    [Fact]
    public void Dot_dot_after_a_link_climbs_from_the_link_s_target()
    {
        Directory.CreateDirectory(Path.Combine(Outside, "deep"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "deep"), Path.Combine(Outside, "deep"));
        File.CreateSymbolicLink(Path.Combine(Root, "up"), "deep/../escaped.parquet");

        var error = Assert.Throws<ArgumentException>(() => Roots().Resolve("up", "output"));

        Assert.Contains($"resolves to '{Path.Combine(Outside, "escaped.parquet")}'", error.Message);
    }

    [Fact]
    public void A_link_that_stays_inside_the_root_resolves_to_its_target()
    {
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "current"), "data");

        Assert.Equal(Path.Combine(Root, "data", "a.parquet"), Roots().Resolve("current/a.parquet", "output"));
    }

    [Fact]
    public void A_root_reached_through_a_link_admits_the_paths_under_its_target()
    {
        Directory.CreateSymbolicLink(Path.Combine(_base, "alias"), Root);
        var roots = new DataRoots([Path.Combine(_base, "alias")], "coordinator");

        Assert.Equal(Path.Combine(Root, "a.parquet"), roots.Resolve(Path.Combine(Root, "a.parquet"), "output"));
    }

    [Fact]
    public void A_link_loop_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "a"), Path.Combine(Root, "b"));
        File.CreateSymbolicLink(Path.Combine(Root, "b"), Path.Combine(Root, "a"));

        var error = Assert.Throws<ArgumentException>(() => Roots().Resolve("a", "output"));

        Assert.Contains("more than 40 symbolic links", error.Message);
    }

    [Fact]
    public void The_root_slash_admits_every_path()
    {
        var roots = new DataRoots(["/"], "coordinator");

        Assert.Equal("/etc/hostname", roots.Resolve("/etc/hostname", "input"));
        Assert.Equal(Path.Combine(Outside, "a.parquet"), roots.Resolve(Path.Combine(Outside, "a.parquet"), "output"));
    }

    [Fact]
    public void ResolveFile_refuses_a_fifo_naming_it()
    {
        string fifo = Path.Combine(Root, "in.parquet");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var error = Assert.Throws<ArgumentException>(() => Roots().ResolveFile("in.parquet", "input"));

        Assert.Equal($"the input file '{fifo}' is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    [InlineData("/tmp", "is a directory, not a regular file")]
    [InlineData("/lstmw-absent.safetensors", "does not exist")]
    public void ResolveFile_refuses_what_is_not_a_regular_file(string path, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new DataRoots(["/"], "worker").ResolveFile(path, "model"));

        Assert.Equal($"the model file '{path}' {expected}", error.Message);
    }

    [Fact]
    public void ResolveFile_returns_a_regular_file_s_real_path()
    {
        File.WriteAllText(Path.Combine(Root, "model.safetensors"), "x");
        File.CreateSymbolicLink(Path.Combine(Root, "latest.safetensors"), "model.safetensors");

        Assert.Equal(Path.Combine(Root, "model.safetensors"), Roots().ResolveFile("latest.safetensors", "model"));
    }

    [Theory]
    [InlineData("root/state", true)]
    [InlineData("", true)] // the state directory holds the root
    [InlineData("root", true)]
    [InlineData("outside/state", false)]
    [InlineData("root-state", false)]
    public void Overlapping_finds_a_root_that_holds_or_lies_in_a_path(string relative, bool overlaps)
    {
        Assert.Equal(overlaps ? Root : null, Roots().Overlapping(Path.Combine(_base, relative)));
    }

    [Fact]
    public void Overlapping_compares_real_paths()
    {
        Directory.CreateSymbolicLink(Path.Combine(Outside, "state"), Path.Combine(Root, "state"));

        Assert.Equal(Root, Roots().Overlapping(Path.Combine(Outside, "state")));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private DataRoots Roots() => new([Root], "coordinator");
}
