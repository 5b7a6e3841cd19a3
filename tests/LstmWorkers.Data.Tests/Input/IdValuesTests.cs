using LstmWorkers.Data.Input;

namespace LstmWorkers.Data.Tests.Input;

public sealed class IdValuesTests
{
    [Fact]
    public void Row_numbers_count_up_from_the_first_row()
    {
        IdValues ids = IdValues.RowNumbers(5, 3);

        Assert.Equal((IdKind.RowNumber, 3), (ids.Kind, ids.Count));
        Assert.Equal([5L, 6, 7], ids.Int64!);
        Assert.False(ids.HasNulls);
    }

    [Fact]
    public void Format_writes_numbers_quoted_strings_and_null()
    {
        IdValues longs = IdValues.FromInt64([-3, 0], [false, true]);
        IdValues strings = IdValues.FromStrings(["a b", null]);

        Assert.Equal(["-3", "null"], [longs.Format(0), longs.Format(1)]);
        Assert.Equal(["\"a b\"", "null"], [strings.Format(0), strings.Format(1)]);
        Assert.Equal("7", IdValues.FromInt32([7]).Format(0));
    }

    [Fact]
    public void All_false_null_mask_is_dropped()
    {
        IdValues ids = IdValues.FromInt32([1, 2], [false, false]);

        Assert.Null(ids.Nulls);
    }

    [Fact]
    public void Slice_copies_values_and_nulls()
    {
        IdValues ids = IdValues.FromInt64([1, 2, 3, 4], [false, true, false, false]);

        IdValues withNull = ids.Slice(1, 2);
        IdValues withoutNull = ids.Slice(2, 2);

        Assert.Equal([2L, 3], withNull.Int64!);
        Assert.Equal([true, false], withNull.Nulls!);
        Assert.False(withoutNull.HasNulls);
        Assert.Throws<ArgumentOutOfRangeException>(() => ids.Slice(3, 2));
    }

    [Fact]
    public void Concat_joins_parts_of_one_kind()
    {
        IdValues joined = IdValues.Concat([IdValues.FromStrings(["a"]), IdValues.FromStrings([null, "c"])]);

        Assert.Equal(3, joined.Count);
        Assert.Equal([false, true, false], joined.Nulls!);
        Assert.Throws<ArgumentException>(() => IdValues.Concat([IdValues.FromInt32([1]), IdValues.FromInt64([1])]));
    }

    [Fact]
    public void Null_mask_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => IdValues.FromInt64([1, 2], [true]));
    }
}
