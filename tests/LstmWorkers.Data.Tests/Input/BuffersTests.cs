using LstmWorkers.Data.Input.Columns;

namespace LstmWorkers.Data.Tests.Input;

public sealed class BuffersTests
{
    [Fact]
    public void Ensure_keeps_an_array_that_is_large_enough()
    {
        int[] array = new int[100];
        int[] kept = array;

        Assert.Same(kept, Buffers.Ensure(ref array, 100));
        Assert.Same(kept, array);
    }

    [Fact]
    public void Ensure_grows_to_the_length_and_an_eighth_not_to_twice_the_old_size()
    {
        int[] array = new int[800_000];

        Buffers.Ensure(ref array, 808_000);

        Assert.Equal(909_000, array.Length);
    }
}
