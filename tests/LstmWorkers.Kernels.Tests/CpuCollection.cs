namespace LstmWorkers.Kernels.Tests;

/// <summary>Tests on ILGPU's CPU accelerator share one backend and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CpuCollection : ICollectionFixture<CpuDeviceFixture>
{
    public const string Name = "ilgpu-cpu";
}
