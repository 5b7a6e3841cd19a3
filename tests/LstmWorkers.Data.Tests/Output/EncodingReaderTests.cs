using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Output;

public class EncodingReaderTests
{
    private static readonly Dictionary<string, string> Meta = new() { [EncodingMetadata.TotalLength] = "2" };

    public static TheoryData<string> IdKinds() => new("int64", "int32", "strings with nulls", "row numbers");

    [Theory]
    [MemberData(nameof(IdKinds))]
    public async Task Rewriting_what_was_read_back_gives_the_same_bytes(string kind)
    {
        using var temp = new TempDirectory();
        var (schema, chunks) = Example(kind);
        await WriteAsync(temp.File("a.parquet"), schema, chunks);

        var readBack = new List<EncodedChunk>();
        await foreach (var chunk in EncodingReader.ReadAsync(temp.File("a.parquet")))
        {
            readBack.Add(chunk);
        }

        await WriteAsync(temp.File("b.parquet"), schema, readBack);
        Assert.Equal(2, readBack.Count);
        Assert.Equal(await File.ReadAllBytesAsync(temp.File("a.parquet")), await File.ReadAllBytesAsync(temp.File("b.parquet")));
    }

    private static (OutputSchema, List<EncodedChunk>) Example(string kind)
    {
        IdValues Ids(int first) => kind switch
        {
            "int64" => IdValues.FromInt64([first, first + 1]),
            "int32" => IdValues.FromInt32([first, first + 1]),
            "strings with nulls" => IdValues.FromStrings([$"r{first}", null]),
            _ => IdValues.RowNumbers(first, 2),
        };
        var idKind = kind switch { "int64" => IdKind.Int64, "int32" => IdKind.Int32, "strings with nulls" => IdKind.String, _ => IdKind.RowNumber };
        var schema = new OutputSchema("id", idKind, kind == "strings with nulls", 4, 2, null, Meta);
        var chunks = Enumerable.Range(0, 2).Select(c => new EncodedChunk(Ids(c * 2), [2, c],
            Enumerable.Range(0, 8).Select(i => c + i / 8f).ToArray(), [c, 1, 2, 3], null)).ToList();
        return (schema, chunks);
    }

    private static async Task WriteAsync(string path, OutputSchema schema, IEnumerable<EncodedChunk> chunks)
    {
        await using var writer = await EncodingWriter.CreateAsync(path, schema);
        foreach (var chunk in chunks)
        {
            await writer.WriteAsync(chunk);
        }

        await writer.CompleteAsync();
    }
}
