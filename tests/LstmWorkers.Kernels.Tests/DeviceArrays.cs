using ILGPU;
using ILGPU.Runtime;

namespace LstmWorkers.Kernels.Tests;

/// <summary>Host arrays to and from device buffers for the kernel tests.</summary>
internal static class DeviceArrays
{
    public static MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(this Accelerator accelerator, T[] values)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(Math.Max(1, values.Length));
        ((ArrayView<T>)buffer.View).SubView(0, values.Length).CopyFromCPU(values);
        return buffer;
    }

    public static T[] Download<T>(this MemoryBuffer1D<T, Stride1D.Dense> buffer, AcceleratorStream stream)
        where T : unmanaged
    {
        var values = new T[buffer.Length];
        ((ArrayView<T>)buffer.View).CopyToCPU(stream, values);
        return values;
    }
}
