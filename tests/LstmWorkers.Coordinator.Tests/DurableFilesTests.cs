namespace LstmWorkers.Coordinator.Tests;

public sealed class DurableFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lstmw-durable-").FullName;

    [Fact]
    public void Write_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_directory, "job.json");
        File.WriteAllText(path, "old contents, longer than the new");

        DurableFiles.Write(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public void Write_into_a_missing_directory_fails_and_leaves_nothing()
    {
        string path = Path.Combine(_directory, "missing", "job.json");

        Assert.Throws<DirectoryNotFoundException>(() => DurableFiles.Write(path, "new"u8));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public void CreateDirectory_makes_the_directory_and_its_parents()
    {
        string path = Path.Combine(_directory, "state", "jobs");

        DurableFiles.CreateDirectory(path);
        DurableFiles.CreateDirectory(path);

        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void SyncDirectory_of_a_missing_directory_fails_naming_it()
    {
        string missing = Path.Combine(_directory, "missing");

        var error = Assert.Throws<IOException>(() => DurableFiles.SyncDirectory(missing));

        Assert.StartsWith($"{missing}: could not sync the directory to disk: ", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
