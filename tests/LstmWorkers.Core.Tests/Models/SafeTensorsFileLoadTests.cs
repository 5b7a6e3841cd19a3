using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Models;

/// <summary>Load opens only regular files, of a size a .NET array holds: anything else is refused at once, naming what it is.</summary>
public sealed class SafeTensorsFileLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lstmw-load-").FullName;

    [Fact]
    public async Task Load_of_a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer()
    {
        string path = SpecialFiles.Fifo(Path.Combine(_directory, "model.safetensors"));

        var load = Task.Run(() => SafeTensorsFile.Load(path));

        var error = await Assert.ThrowsAsync<ModelFormatException>(() => load.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal($"{path}: the model file is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/zero")]
    public void Load_of_a_character_device_is_refused_without_reading_it(string path)
    {
        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Load(path));

        Assert.Equal($"{path}: the model file is a character device, not a regular file", error.Message);
    }

    [Fact]
    public void Load_of_a_directory_is_refused_naming_it()
    {
        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Load(_directory));

        Assert.Equal($"{_directory}: the model file is a directory, not a regular file", error.Message);
    }

    [Fact]
    public void Load_of_a_socket_is_refused_naming_it()
    {
        string path = Path.Combine(_directory, "model.sock");
        using var socket = SpecialFiles.Socket(path);

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Load(path));

        Assert.Equal($"{path}: the model file is a socket, not a regular file", error.Message);
    }

    [Fact]
    public void Load_of_a_missing_file_says_so()
    {
        string path = Path.Combine(_directory, "missing.safetensors");

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Load(path));

        Assert.Equal($"{path}: cannot open the model file: No such file or directory", error.Message);
    }

    [Fact]
    public void Load_of_a_file_larger_than_an_array_names_its_size_and_the_limit_without_reading_it()
    {
        string path = Path.Combine(_directory, "huge.safetensors");
        using (var stream = File.Create(path))
        {
            stream.SetLength(3L << 30); // sparse: no disk space, no time
        }

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Load(path));

        Assert.Equal($"{path}: the model file is 3221225472 bytes, over the limit of {Array.MaxLength} bytes", error.Message);
    }

    [Fact]
    public void Load_follows_a_symbolic_link_to_a_regular_file()
    {
        string target = new SafeTensorsBuilder().Add("w", [2], [1f, 2f]).WriteTo(Path.Combine(_directory, "real.safetensors"));
        string link = Path.Combine(_directory, "link.safetensors");
        File.CreateSymbolicLink(link, target);

        var file = SafeTensorsFile.Load(link);

        Assert.Equal([1f, 2f], file.ReadFloat32("w").Data);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
