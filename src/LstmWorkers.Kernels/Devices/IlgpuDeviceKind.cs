namespace LstmWorkers.Kernels.Devices;

/// <summary>The ILGPU devices <c>--device</c> can name.</summary>
public enum IlgpuDeviceKind
{
    /// <summary>CUDA, then an OpenCL GPU, else none (the caller falls back to the managed CPU backend).</summary>
    Auto,

    /// <summary><c>ilgpu-cpu</c>: ILGPU's CPU accelerator, an emulator for testing kernels, ~50× slower than <c>--device cpu</c>.</summary>
    IlgpuCpu,

    /// <summary><c>opencl</c>: an OpenCL 2.0+ device (ILGPU needs the generic address space).</summary>
    OpenCL,

    /// <summary><c>cuda</c>: the first NVIDIA GPU.</summary>
    Cuda,
}
