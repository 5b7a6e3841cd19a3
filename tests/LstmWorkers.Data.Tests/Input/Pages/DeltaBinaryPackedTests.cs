using LstmWorkers.Data.Input.Pages;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Input.Pages;

public sealed class DeltaBinaryPackedTests
{
    // The format's own example: 1, 2, 3, 4, 5 is block size 128, 4 miniblocks, 5 values, first 1 (zigzag 2), then one
    // block of min delta 1 (zigzag 2) with four bit widths of 0 and no packed bits.
    private static readonly byte[] OneToFive = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00];

    [Fact]
    public void Decode_of_the_format_example_gives_its_values_and_length()
    {
        var values = new long[5];

        int used = DeltaBinaryPacked.Decode<long>([.. OneToFive, 0xEE], values);

        Assert.Equal([1L, 2, 3, 4, 5], values);
        Assert.Equal(OneToFive.Length, used);
    }

    [Fact]
    public void Decode_of_int64_extremes_wraps_deltas_in_64_bits()
    {
        long[] expected = [long.MinValue, long.MaxValue, 0, -1, long.MaxValue, long.MinValue, 12345, .. Enumerable.Range(0, 300).Select(i => (long)i * i * 7919)];
        var values = new long[expected.Length];

        int used = DeltaBinaryPacked.Decode<long>(DeltaEncoder.Encode(expected, 64), values);

        Assert.Equal(expected, values);
        Assert.True(used > 0);
    }

    [Fact]
    public void Decode_of_int32_values_wraps_deltas_in_32_bits()
    {
        int[] expected = [int.MaxValue, int.MinValue, -7, 0, int.MinValue, int.MaxValue, .. Enumerable.Range(0, 130).Select(i => i * -31)];
        var values = new int[expected.Length];

        DeltaBinaryPacked.Decode<int>(DeltaEncoder.Encode(expected.Select(v => (long)v).ToArray(), 32), values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void Decode_of_fewer_values_than_the_page_needs_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode<long>(OneToFive, new long[6]));

        Assert.Equal("DELTA_BINARY_PACKED data holds 5 values where the page needs 6", error.Message);
    }

    [Fact]
    public void Decode_of_a_bit_width_wider_than_the_type_is_refused()
    {
        byte[] bytes = [0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 33, 0, 0, 0, .. new byte[200]];

        var error = Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode<int>(bytes, new int[2]));

        Assert.Contains("bit width 33; at most 32", error.Message);
    }

    [Fact]
    public void Decode_of_a_miniblock_cut_short_is_refused()
    {
        byte[] bytes = [0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 8, 0, 0, 0, 0x01];

        var error = Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode<long>(bytes, new long[3]));

        Assert.Contains("ends inside a miniblock", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x40, 0x04, 0x01, 0x00 }, "block size 64")]
    [InlineData(new byte[] { 0x80, 0x01, 0x08, 0x01, 0x00 }, "128 does not split into 8 miniblocks")]
    [InlineData(new byte[] { 0x80, 0x01 }, "header is cut short")]
    public void Decode_of_a_bad_header_is_refused(byte[] bytes, string detail)
    {
        var error = Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode<long>(bytes, new long[1]));

        Assert.Contains(detail, error.Message);
    }
}
