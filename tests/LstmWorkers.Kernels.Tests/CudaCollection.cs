namespace LstmWorkers.Kernels.Tests;

/// <summary>Tests on the CUDA GPU share one backend and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CudaCollection : ICollectionFixture<CudaDeviceFixture>
{
    public const string Name = "cuda";
}
