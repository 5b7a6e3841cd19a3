using ILGPU;
using ILGPU.Runtime;

namespace LstmWorkers.Kernels.Runners;

/// <summary>A grow-only device buffer: <see cref="View"/> returns the first n elements, reallocating only when n exceeds the capacity.</summary>
internal sealed class DeviceBuffer<T>(Accelerator accelerator) : IDisposable
    where T : unmanaged
{
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;

    public ArrayView<T> View(long length)
    {
        length = Math.Max(length, 1);
        if (_buffer is null || _buffer.Length < length)
        {
            _buffer?.Dispose();
            _buffer = accelerator.Allocate1D<T>(Math.Max(length, (_buffer?.Length ?? 0) * 3 / 2));
        }

        return ((ArrayView<T>)_buffer.View).SubView(0, length);
    }

    public void Dispose() => _buffer?.Dispose();
}
