using System.Buffers;
using System.Runtime.InteropServices;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// Per-run scratch: a float array rented from <see cref="ArrayPool{T}.Shared"/> (so steady-state
/// runs allocate nothing and idle memory is trimmed by the pool), pinned for the run, carved into
/// 64-byte aligned pieces with <see cref="Take"/>. Contents start as garbage.
/// </summary>
internal unsafe struct PinnedScratch : IDisposable
{
    private readonly float[] _array;
    private GCHandle _handle;
    private float* _next;
    private readonly float* _end;

    public PinnedScratch(long floats)
    {
        _array = ArrayPool<float>.Shared.Rent(checked((int)floats + 16));
        _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        float* start = (float*)_handle.AddrOfPinnedObject();
        _next = (float*)(((nint)start + 63) & ~(nint)63);
        _end = start + _array.Length;
    }

    /// <summary>Floats needed for pieces of the given sizes, alignment included.</summary>
    public static long Size(params ReadOnlySpan<long> pieces)
    {
        long total = 0;
        foreach (long piece in pieces)
        {
            total += (piece + 15) / 16 * 16;
        }

        return total;
    }

    public float* Take(long floats)
    {
        float* piece = _next;
        _next += (floats + 15) / 16 * 16;
        if (_next > _end)
        {
            throw new InvalidOperationException("scratch too small");
        }

        return piece;
    }

    public void Dispose()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
            ArrayPool<float>.Shared.Return(_array);
        }
    }
}
