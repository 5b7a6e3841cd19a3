using System.Text.RegularExpressions;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>A dataset output read back whole (contract §6): its parts in name order, concatenated as one file.</summary>
public static partial class EncodedDataset
{
    /// <summary>
    /// Reads every part of <paramref name="directory"/> and holds it to the layout: the parts numbered from 0 without gaps,
    /// <c>_SUCCESS</c> beside them, nothing else, and every part with the same schema and metadata.
    /// </summary>
    /// <returns>The parts' rows concatenated, with the first part's metadata, and the rows of each part.</returns>
    public static async Task<(EncodedFile All, int[] PartRows)> ReadAsync(string directory)
    {
        string[] names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] parts = names.Where(n => n != "_SUCCESS").ToArray();
        Assert.Contains("_SUCCESS", names);
        Assert.Equal(Enumerable.Range(0, parts.Length).Select(i => $"part-{i:D5}.parquet"), parts);
        Assert.All(parts, p => Assert.Matches(PartName(), p));

        var files = new List<EncodedFile>();
        foreach (string part in parts)
        {
            files.Add(await EncodedFile.ReadAsync(Path.Combine(directory, part)));
        }

        var first = files[0];
        Assert.All(files, f => Assert.Equal(first.Metadata, f.Metadata));
        Assert.All(files, f => Assert.Equal(first.IdColumn, f.IdColumn));
        Assert.All(files, f => Assert.Equal((first.Output is null, first.HiddenState is null, first.CellState is null, first.PooledMean is null, first.PooledMax is null),
            (f.Output is null, f.HiddenState is null, f.CellState is null, f.PooledMean is null, f.PooledMax is null)));
        float[]? Concat(Func<EncodedFile, float[]?> column) => column(first) is null ? null : files.SelectMany(f => column(f)!).ToArray();
        var all = new EncodedFile(first.Metadata, first.IdColumn, files.SelectMany(f => f.Ids).ToArray(), files.SelectMany(f => f.Lengths).ToArray(),
            Concat(f => f.Output), Concat(f => f.HiddenState), Concat(f => f.CellState), Concat(f => f.PooledMean), Concat(f => f.PooledMax));
        Assert.True(first.Metadata.ContainsKey(EncodingMetadata.TotalLength));
        return (all, files.Select(f => f.Ids.Length).ToArray());
    }

    /// <summary>Asserts that two outputs hold the same rows, values and metadata.</summary>
    public static void AssertSameRows(EncodedFile expected, EncodedFile actual)
    {
        Assert.Equal(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.IdColumn, actual.IdColumn);
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Lengths, actual.Lengths);
        Assert.Equal(expected.Output, actual.Output);
        Assert.Equal(expected.HiddenState, actual.HiddenState);
        Assert.Equal(expected.CellState, actual.CellState);
        Assert.Equal(expected.PooledMean, actual.PooledMean);
        Assert.Equal(expected.PooledMax, actual.PooledMax);
    }

    [GeneratedRegex(@"^part-\d{5,}\.parquet$")]
    private static partial Regex PartName();
}
