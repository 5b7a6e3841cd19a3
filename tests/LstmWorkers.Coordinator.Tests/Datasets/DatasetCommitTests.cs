using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Tests.Jobs;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Tests.Datasets;

/// <summary>The job commit repeated after a crash at its riskiest moment: a part's new footer half appended.</summary>
public sealed class DatasetCommitTests : IDisposable
{
    private readonly JobFixture _fixture = new();

    [Fact]
    public async Task A_commit_interrupted_while_appending_a_parts_footer_is_finished_by_the_next_with_the_part_intact()
    {
        var directory = new DatasetDirectory(Path.Combine(Path.GetDirectoryName(_fixture.OutputPath)!, "dataset"));
        Directory.CreateDirectory(directory.Committed);
        var first = new Dictionary<string, string> { [EncodingMetadata.TotalLength] = "7", [EncodingMetadata.Version] = EncodingMetadata.FormatVersion };
        var final = new Dictionary<string, string> { [EncodingMetadata.TotalLength] = "11", [EncodingMetadata.Version] = EncodingMetadata.FormatVersion };
        string part = directory.CommittedPart(0);
        await WritePartAsync(part, first);
        long length = new FileInfo(part).Length;
        byte[] original = await File.ReadAllBytesAsync(part);

        // The first commit dies while its new footer is half on disk: the file's end is no footer any more.
        File.WriteAllText(DatasetCommit.JournalOf(part), length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using (var stream = new FileStream(part, FileMode.Append))
        {
            await stream.WriteAsync(new byte[] { 0x15, 0x00, 0x15, 0x9c, 0x01 });
        }

        await DatasetCommit.CommitAsync(directory, 1, final, CancellationToken.None);

        string published = directory.Part(0);
        Assert.Equal(final, await FooterMetadata.ReadAsync(published));
        Assert.Equal(original.AsSpan(0, (int)length - 8).ToArray(), (await File.ReadAllBytesAsync(published)).AsSpan(0, (int)length - 8).ToArray());
        Assert.True(File.Exists(directory.Success));
        Assert.False(Directory.Exists(directory.Temporary));
    }

    public void Dispose() => _fixture.Dispose();

    private static async Task WritePartAsync(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var schema = new OutputSchema("id", Data.Input.IdKind.Int64, false, null, 2, null, metadata);
        await using var writer = await EncodingWriter.CreateAsync(path, schema);
        await writer.WriteAsync(new EncodedChunk(Data.Input.IdValues.FromInt64([1, 2]), [3, 4], null, [1f, 2f, 3f, 4f], null));
        await writer.CompleteAsync();
    }
}
