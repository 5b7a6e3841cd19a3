namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// A float buffer on the pinned object heap whose first element is 64-byte aligned (a cache line,
/// one Vector512), for weights packed once per model: the GC never moves it, so kernels keep raw
/// pointers for the runner's lifetime, and it is freed like any array.
/// </summary>
internal sealed unsafe class AlignedFloats
{
    private readonly float[] _array;
    private readonly int _offset;

    public AlignedFloats(long length)
    {
        Length = checked((int)length);
        _array = GC.AllocateArray<float>(checked(Length + 16), pinned: true);
        fixed (float* start = _array)
        {
            _offset = (int)((64 - ((nint)start & 63)) & 63) / sizeof(float);
        }

        Pointer = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _array[_offset]);
    }

    public int Length { get; }

    public float* Pointer { get; }

    public Span<float> Span => _array.AsSpan(_offset, Length);
}
