using LstmWorkers.Data.Input.Pages;

namespace LstmWorkers.Data.Tests.Input.Pages;

public sealed class RleHybridTests
{
    // a run of five 3s (header 5 << 1, one value byte), then one bit-packed group (header 1 << 1 | 1) of 0, 1, 2, 3, 0, 1, 2, 3
    // at 2 bits each, least significant bits first: 0b11_10_01_00 twice
    private static readonly byte[] RunThenGroup = [0x0A, 0x03, 0x03, 0xE4, 0xE4];

    [Fact]
    public void Decode_of_a_run_and_a_bit_packed_group_gives_their_values()
    {
        var values = new int[13];

        RleHybrid.Decode(RunThenGroup, 2, values, "levels");

        Assert.Equal([3, 3, 3, 3, 3, 0, 1, 2, 3, 0, 1, 2, 3], values);
    }

    [Fact]
    public void Decode_of_fewer_values_than_the_last_group_holds_stops_there()
    {
        var values = new int[7];

        RleHybrid.Decode(RunThenGroup, 2, values, "levels");

        Assert.Equal([3, 3, 3, 3, 3, 0, 1], values);
    }

    [Fact]
    public void Decode_with_bit_width_0_reads_runs_of_zeros_without_value_bytes()
    {
        var values = new int[6];
        Array.Fill(values, 9);

        RleHybrid.Decode([0x08, 0x04], 0, values, "indexes");

        Assert.Equal(new int[6], values);
    }

    [Fact]
    public void Decode_of_bit_width_32_keeps_every_bit()
    {
        var values = new int[2];

        RleHybrid.Decode([0x04, 0xFE, 0xFF, 0xFF, 0x7F], 32, values, "indexes");

        Assert.Equal([int.MaxValue - 1, int.MaxValue - 1], values);
    }

    [Fact]
    public void Decode_past_the_end_of_the_data_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => RleHybrid.Decode(RunThenGroup, 2, new int[20], "definition levels"));

        Assert.Equal("the definition levels end after 13 of 20 values", error.Message);
    }

    [Fact]
    public void Decode_of_a_bit_packed_group_cut_short_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => RleHybrid.Decode(RunThenGroup.AsSpan(0, 4), 2, new int[13], "levels"));

        Assert.Contains("inside a bit-packed run", error.Message);
    }

    [Fact]
    public void Decode_of_a_run_value_wider_than_the_bit_width_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => RleHybrid.Decode([0x02, 0x05], 2, new int[1], "levels"));

        Assert.Contains("repeats 5, which does not fit in bit width 2", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public void Read_in_pieces_gives_what_one_decode_gives(int piece)
    {
        var reader = new RleHybrid(2, 13, "levels");
        var values = new List<int>();
        var buffer = new int[piece];

        while (reader.Done < reader.Total)
        {
            Span<int> next = buffer.AsSpan(0, Math.Min(piece, reader.Total - reader.Done));
            reader.Read(RunThenGroup, next);
            values.AddRange(next);
        }

        Assert.Equal([3, 3, 3, 3, 3, 0, 1, 2, 3, 0, 1, 2, 3], values);
    }

    [Fact]
    public void Read_past_the_total_is_refused()
    {
        var reader = new RleHybrid(2, 4, "levels");

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(RunThenGroup, new int[5]));
    }
}
