using System.Text.Json;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;
using LstmWorkers.Core.Tensors;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Packing;

/// <summary>Packing and padding compared element for element with torch.nn.utils.rnn (exact: no arithmetic).</summary>
public class RnnUtilsTests
{
    public static TheoryData<string> Cases() => new(Fixtures.Names("packing_cases"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pack_matches_pytorch_element_for_element(string name)
    {
        var (entry, file) = Open(name);

        var packed = PackAsTorchDid(entry, file);

        Assert.Equal(file.ReadFloat32("packed_data").Data, packed.Data.Data);
        Assert.Equal(file.ReadFloat32("packed_data").Shape, packed.Data.Shape);
        Assert.Equal(Ints(file, "batch_sizes"), packed.BatchSizes);
        if (file.Contains("sorted_indices"))
        {
            Assert.Equal(Ints(file, "sorted_indices"), packed.SortedIndices);
            Assert.Equal(Ints(file, "unsorted_indices"), packed.UnsortedIndices);
        }
        else
        {
            Assert.Null(packed.SortedIndices);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PadPacked_restores_caller_order_with_padding_and_total_length(string name)
    {
        var (entry, file) = Open(name);
        var packed = PackAsTorchDid(entry, file);
        int? totalLength = entry.GetProperty("total_length").ValueKind == JsonValueKind.Null
            ? null : entry.GetProperty("total_length").GetInt32();

        var (padded, lengths) = RnnUtils.PadPacked(packed, entry.GetProperty("batch_first").GetBoolean(),
            entry.GetProperty("padding_value").GetSingle(), totalLength);

        var expected = file.ReadFloat32("repadded");
        Assert.Equal(expected.Shape, padded.Shape);
        Assert.Equal(expected.Data, padded.Data);
        Assert.Equal(Ints(file, "repadded_lengths"), lengths);
    }

    [Theory]
    [InlineData("pack_sequence_sorted")]
    [InlineData("pack_sequence_unsorted_ties")]
    public void PadSequences_matches_pad_sequence(string name)
    {
        var (entry, file) = Open(name);

        var padded = RnnUtils.PadSequences(Sequences(file), entry.GetProperty("batch_first").GetBoolean(),
            entry.GetProperty("padding_value").GetSingle());

        Assert.Equal(file.ReadFloat32("padded").Shape, padded.Shape);
        Assert.Equal(file.ReadFloat32("padded").Data, padded.Data);
    }

    [Fact]
    public void Pack_with_enforce_sorted_rejects_unsorted_lengths()
    {
        var input = new Tensor<float>(3, 2, 1);

        var error = Assert.Throws<ArgumentException>(() => RnnUtils.Pack(input, [1, 3], batchFirst: false, enforceSorted: true));

        Assert.Contains("sorted in decreasing order", error.Message);
    }

    [Fact]
    public void Pack_of_zero_length_sequences_puts_them_last_and_in_no_step()
    {
        var input = new Tensor<float>([3, 2], [1, 2, 3, 4, 5, 6]);

        var packed = RnnUtils.Pack(input, [0, 2, 1], batchFirst: true, enforceSorted: false);

        Assert.Equal([1, 2, 0], packed.SortedIndices!);
        Assert.Equal([2, 1], packed.BatchSizes);
        Assert.Equal([3f, 5f, 4f], packed.Data.Data);
        Assert.Equal(3, packed.BatchSize);
        Assert.Equal([0, 2, 1], packed.Lengths());
    }

    [Fact]
    public void PadPacked_shorter_than_the_longest_sequence_is_rejected()
    {
        var packed = RnnUtils.Pack(new Tensor<float>([1, 3], [1, 2, 3]), [3], batchFirst: true);

        Assert.Throws<ArgumentException>(() => RnnUtils.PadPacked(packed, totalLength: 2));
    }

    private static PackedSequence<float> PackAsTorchDid(JsonElement entry, SafeTensorsFile file)
    {
        bool enforceSorted = entry.GetProperty("enforce_sorted").GetBoolean();
        return entry.GetProperty("kind").GetString() == "pack_padded_sequence"
            ? RnnUtils.Pack(file.ReadFloat32("padded"), Ints(file, "lengths"), entry.GetProperty("batch_first").GetBoolean(), enforceSorted)
            : RnnUtils.PackSequences(Sequences(file), enforceSorted);
    }

    private static List<Tensor<float>> Sequences(SafeTensorsFile file) =>
        Enumerable.Range(0, file.Entries.Keys.Count(k => k.StartsWith("seq_", StringComparison.Ordinal)))
            .Select(i => file.ReadFloat32($"seq_{i}")).ToList();

    private static (JsonElement Entry, SafeTensorsFile File) Open(string name)
    {
        var entry = Fixtures.Entry("packing_cases", name);
        return (entry, Fixtures.Open(entry.GetProperty("file").GetString()!));
    }

    private static int[] Ints(SafeTensorsFile file, string name) => Array.ConvertAll(file.ReadInt64(name).Data, v => (int)v);
}
