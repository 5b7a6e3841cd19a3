namespace LstmWorkers.Kernels.Tests.Devices;

/// <summary>Device choice: names, and the messages a user gets when a device is not there.</summary>
public class IlgpuBackendsTests
{
    [Fact]
    public void TryCreate_with_an_unknown_name_lists_the_ilgpu_devices()
    {
        bool created = IlgpuBackends.TryCreate("tpu", out var backend, out string reason);

        Assert.False(created);
        Assert.Null(backend);
        Assert.Contains("auto, ilgpu-cpu, opencl, cuda", reason);
    }

    [Fact]
    public void TryCreate_ilgpu_cpu_opens_the_emulator()
    {
        bool created = IlgpuBackends.TryCreate("ilgpu-cpu", out var backend, out string reason);
        using var owned = backend;

        Assert.True(created, reason);
        Assert.StartsWith("ilgpu-cpu", backend!.Device);
    }

    [Fact]
    public void TryCreate_cuda_without_a_gpu_says_so()
    {
        if (CudaProbe.Missing is null)
        {
            return; // this machine has a CUDA device
        }

        bool created = IlgpuBackends.TryCreate("cuda", out _, out string reason);

        Assert.False(created);
        Assert.StartsWith("cuda:", reason);
    }

    [Fact]
    public void TryCreate_opencl_that_fails_explains_the_generic_address_space_limit()
    {
        if (IlgpuBackends.TryCreate("opencl", out var backend, out string reason))
        {
            backend.Dispose();
            return;
        }

        Assert.StartsWith("opencl:", reason);
        Assert.Contains("GenericAddressSpace", reason);
    }
}
