using LstmWorkers.Data.Input;

namespace LstmWorkers.Data.Tests.Support;

/// <summary>Helpers to run a reader and look at its chunks.</summary>
public static class Chunks
{
    public static async Task<List<RowChunk>> ReadAllAsync(string input, DatasetReadOptions options)
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(input, options, CancellationToken.None);
        return await ReadAllAsync(reader);
    }

    public static async Task<List<RowChunk>> ReadAllAsync(DatasetReader reader)
    {
        var chunks = new List<RowChunk>();
        await foreach (RowChunk chunk in reader.ReadAsync(CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    /// <summary>The chunk's token ids (its array may be longer: it comes from a pool).</summary>
    public static int[] TokenValues(RowChunk chunk) => chunk.Tokens!.AsSpan(0, chunk.TotalSteps).ToArray();

    /// <summary>The chunk's features (its array may be longer: it comes from a pool).</summary>
    public static float[] FeatureValues(RowChunk chunk) => chunk.Features!.AsSpan(0, chunk.TotalSteps * chunk.InputSize).ToArray();

    /// <summary>Row <paramref name="index"/>'s token ids.</summary>
    public static int[] TokensOf(RowChunk chunk, int index) =>
        chunk.Tokens!.AsSpan(chunk.Offsets[index], chunk.Lengths[index]).ToArray();

    /// <summary>Row <paramref name="index"/>'s features, time-major.</summary>
    public static float[] FeaturesOf(RowChunk chunk, int index) =>
        chunk.Features!.AsSpan(chunk.Offsets[index] * chunk.InputSize, chunk.Lengths[index] * chunk.InputSize).ToArray();

    /// <summary>All rows' token ids in order, over all chunks.</summary>
    public static List<int[]> AllTokens(IEnumerable<RowChunk> chunks) =>
        chunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => TokensOf(c, i))).ToList();

    /// <summary>All ids as <see cref="IdValues.Format"/> writes them, over all chunks.</summary>
    public static List<string> AllIds(IEnumerable<RowChunk> chunks) =>
        chunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => c.Ids.Format(i))).ToList();
}
