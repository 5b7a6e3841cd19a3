using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Output;

public sealed class FooterMetadataTests : IDisposable
{
    private static readonly Dictionary<string, string> Before = new()
    {
        [EncodingMetadata.TotalLength] = "3",
        [EncodingMetadata.Version] = EncodingMetadata.FormatVersion,
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replacing_the_metadata_changes_it_and_nothing_the_rows_hold()
    {
        string path = await WriteAsync(_dir.File("a.parquet"));
        var rowsBefore = await ReadAsync(path);
        var after = new Dictionary<string, string> { [EncodingMetadata.TotalLength] = "12345", [EncodingMetadata.Version] = EncodingMetadata.FormatVersion };

        FooterMetadata.Replace(path, after);

        Assert.Equal(after, await FooterMetadata.ReadAsync(path));
        Assert.Equal(rowsBefore, await ReadAsync(path));
    }

    [Fact]
    public async Task A_replacement_repeated_gives_what_one_gives()
    {
        string path = await WriteAsync(_dir.File("a.parquet"));
        var many = Enumerable.Range(0, 20).ToDictionary(i => $"lstmw.key{i}", i => new string('x', i * 50));

        FooterMetadata.Replace(path, many);
        FooterMetadata.Replace(path, many);

        Assert.Equal(many, await FooterMetadata.ReadAsync(path));
        int[] lengths = await EncodingReader.ReadLengthsAsync(path);
        Assert.Equal([2, 1, 2, 0], lengths);
    }

    [Fact]
    public async Task The_lengths_alone_are_read_back_in_row_order()
    {
        string path = await WriteAsync(_dir.File("a.parquet"));

        int[] lengths = await EncodingReader.ReadLengthsAsync(path);

        Assert.Equal([2, 1, 2, 0], lengths);
    }

    /// <summary>Two row groups of two rows: ids, lengths, <c>output</c> [4] and <c>h_n</c> [2] per row.</summary>
    private static async Task<string> WriteAsync(string path)
    {
        var schema = new OutputSchema("id", IdKind.Int64, false, 4, 2, null, Before);
        await using var writer = await EncodingWriter.CreateAsync(path, schema);
        await writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1, 2]), [2, 1], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], null));
        await writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([3, 4]), [2, 0], [9, 8, 7, 6, 5, 4, 3, 2], [5, 6, 7, 8], null));
        await writer.CompleteAsync();
        return path;
    }

    private static async Task<List<string>> ReadAsync(string path)
    {
        var rows = new List<string>();
        await foreach (var chunk in EncodingReader.ReadAsync(path))
        {
            rows.Add($"{string.Join(",", chunk.Ids.Int64!)}|{string.Join(",", chunk.Lengths)}|{string.Join(",", chunk.Output!)}|{string.Join(",", chunk.Hn!)}");
        }

        return rows;
    }
}
