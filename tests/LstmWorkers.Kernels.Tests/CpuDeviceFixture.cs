using LstmWorkers.Kernels.Devices;

namespace LstmWorkers.Kernels.Tests;

/// <summary>ILGPU's CPU accelerator: always there, so these tests always run (slowly: it is an emulator).</summary>
public sealed class CpuDeviceFixture() : DeviceFixture(IlgpuDeviceKind.IlgpuCpu);
