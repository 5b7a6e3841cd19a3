using LstmWorkers.Kernels.Devices;

namespace LstmWorkers.Kernels.Tests;

/// <summary>The first CUDA GPU; tests using it are marked <see cref="GpuFactAttribute"/>/<see cref="GpuTheoryAttribute"/>.</summary>
public sealed class CudaDeviceFixture() : DeviceFixture(IlgpuDeviceKind.Cuda);
