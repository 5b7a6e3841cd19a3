using System.Buffers;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>A chunk's sequence array comes from the shared pool and goes back there when the chunk is released.</summary>
public sealed class RowChunkReleaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Release_hands_a_read_chunk_array_back_to_the_pool_and_keeps_ids_and_lengths()
    {
        string file = await WriteAsync(_dir.File("a.parquet"), [TestColumn.List("features", [Values(1, 2, 3, 4), Values(5, 6)])]);
        RowChunk chunk = (await Chunks.ReadAllAsync(file, new() { InputSize = 2 })).Single();
        float[] features = chunk.Features!;

        chunk.Release();
        chunk.Release();

        Assert.Null(chunk.Features);
        Assert.Equal([2, 1], chunk.Lengths);
        Assert.Equal(["0", "1"], Enumerable.Range(0, chunk.Count).Select(chunk.Ids.Format));
        Assert.Same(features, ArrayPool<float>.Shared.Rent(features.Length)); // the same thread gets its last returned array back
    }

    [Fact]
    public void Release_of_a_chunk_made_from_an_array_of_its_own_only_drops_it()
    {
        int[] tokens = [7, 8, 9];
        var chunk = new RowChunk("f.parquet", 0, IdValues.RowNumbers(0, 2), [1, 2], tokens, null, 0);

        chunk.Release();

        Assert.Null(chunk.Tokens);
        Assert.NotSame(tokens, ArrayPool<int>.Shared.Rent(tokens.Length));
    }
}
