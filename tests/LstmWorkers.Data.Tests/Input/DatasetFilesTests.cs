using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>INPUT resolution: one file, a directory, a glob; ordinal order; hidden names skipped.</summary>
public sealed class DatasetFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Touch(params string[] names)
    {
        foreach (string name in names)
        {
            File.WriteAllBytes(_dir.File(name), []);
        }
    }

    private static IEnumerable<string> Names(IReadOnlyList<string> paths) => paths.Select(p => Path.GetFileName(p)!);

    [Fact]
    public void Resolve_single_file_returns_its_full_path()
    {
        Touch("data.bin");

        IReadOnlyList<string> files = DatasetFiles.Resolve(_dir.File("data.bin"));

        Assert.Equal([_dir.File("data.bin")], files);
    }

    [Fact]
    public void Resolve_directory_lists_parquet_files_in_ordinal_order_skipping_hidden_names()
    {
        Touch("b.parquet", "a10.parquet", "a2.parquet", "B.parquet", "_tmp.parquet", ".x.parquet", "notes.txt", "c.parquet.crc", "_SUCCESS");
        Directory.CreateDirectory(_dir.File("sub.parquet"));

        IReadOnlyList<string> files = DatasetFiles.Resolve(_dir.Path);

        Assert.Equal(["B.parquet", "a10.parquet", "a2.parquet", "b.parquet"], Names(files));
        Assert.All(files, f => Assert.True(Path.IsPathFullyQualified(f)));
    }

    [Fact]
    public void Resolve_orders_by_utf8_bytes_not_utf16_units()
    {
        // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16 the surrogate D83D sorts before FF61.
        Touch("\uFF61.parquet", "\U0001F600.parquet");

        IReadOnlyList<string> files = DatasetFiles.Resolve(_dir.Path);

        Assert.Equal(["\uFF61.parquet", "\U0001F600.parquet"], Names(files));
    }

    [Fact]
    public void Resolve_glob_matches_star_and_question_mark_in_the_file_name()
    {
        Touch("part-0.parquet", "part-1.parquet", "part-10.parquet", "part-1.txt", "_part-2.parquet", "other.parquet");

        IReadOnlyList<string> star = DatasetFiles.Resolve(_dir.File("part-*.parquet"));
        IReadOnlyList<string> question = DatasetFiles.Resolve(_dir.File("part-?.parquet"));

        Assert.Equal(["part-0.parquet", "part-1.parquet", "part-10.parquet"], Names(star));
        Assert.Equal(["part-0.parquet", "part-1.parquet"], Names(question));
    }

    [Fact]
    public void Resolve_glob_starting_with_underscore_may_match_hidden_names()
    {
        Touch("_a.parquet", "b.parquet");

        Assert.Equal(["_a.parquet"], Names(DatasetFiles.Resolve(_dir.File("_*.parquet"))));
    }

    [Fact]
    public void Resolve_missing_path_names_it()
    {
        string missing = _dir.File("nope.parquet");

        var error = Assert.Throws<InputDataException>(() => DatasetFiles.Resolve(missing));

        Assert.Equal($"{missing}: no such file or directory", error.Message);
    }

    [Fact]
    public void Resolve_directory_without_parquet_files_is_rejected()
    {
        Touch("_SUCCESS", "a.csv");

        var error = Assert.Throws<InputDataException>(() => DatasetFiles.Resolve(_dir.Path));

        Assert.Equal(_dir.Path, error.File);
        Assert.Contains("no *.parquet file", error.Detail);
    }

    [Fact]
    public void Resolve_glob_without_match_is_rejected()
    {
        Touch("a.parquet");

        var error = Assert.Throws<InputDataException>(() => DatasetFiles.Resolve(_dir.File("z*.parquet")));

        Assert.Equal("no file matches the pattern", error.Detail);
    }

    [Fact]
    public void Resolve_glob_in_a_directory_part_is_rejected()
    {
        var error = Assert.Throws<InputDataException>(() => DatasetFiles.Resolve(Path.Combine(_dir.Path, "*", "a.parquet")));

        Assert.Contains("only in the file name", error.Detail);
    }
}
