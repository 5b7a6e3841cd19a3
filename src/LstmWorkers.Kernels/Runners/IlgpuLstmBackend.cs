using ILGPU.Runtime;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Kernels.Devices;

namespace LstmWorkers.Kernels.Runners;

/// <summary>
/// The ILGPU backend: one accelerator, its kernels compiled once, one stream, and (on CUDA, when
/// asked for) cuBLAS for the input projection. Models loaded through <see cref="Load"/> keep
/// their weights on the device until their runner is disposed. Dispose every runner before the
/// backend. Thread-safe: runs of all its runners are serialized on one lock.
/// </summary>
public sealed class IlgpuLstmBackend : ILstmBackend, IDisposable
{
    private readonly IlgpuDevice _device;

    /// <summary>Takes ownership of <paramref name="device"/> (when this throws, the caller still owns it).</summary>
    public IlgpuLstmBackend(IlgpuDevice device, KernelOptions? options = null)
    {
        _device = device;
        Options = options ?? new KernelOptions();
        Accelerator.Bind();
        Stream = Accelerator.CreateStream();
        Kernels = new LstmKernelSet(Accelerator);
        ProjectionVariant = Options.InputProjection == InputProjectionVariant.V1Naive ? InputProjectionVariant.V1Naive : InputProjectionVariant.V2Tiled;
        CuBlasStatus = Options.InputProjection != InputProjectionVariant.CuBlas ? "not used" : "cuBLAS needs a CUDA device";
        if (Options.InputProjection == InputProjectionVariant.CuBlas && device.Kind == IlgpuDeviceKind.Cuda)
        {
            if (CuBlasProjection.TryCreate(Accelerator, Stream, out var blas, out string reason))
            {
                CuBlas = blas;
                ProjectionVariant = InputProjectionVariant.CuBlas;
            }

            CuBlasStatus = reason;
        }

        if (Options.InputProjection == InputProjectionVariant.CuBlas && CuBlas is null)
        {
            CuBlas?.Dispose();
            Stream.Dispose();
            throw new InvalidOperationException($"the cuBLAS input projection was asked for but {CuBlasStatus}");
        }
    }

    /// <summary>E.g. "cuda: NVIDIA H100 80GB HBM3 (…); input projection V2Tiled, recurrent step V2Tiled".</summary>
    public string Device => $"{_device.Description}; input projection {ProjectionVariant}, recurrent step {Options.Recurrent}";

    public IlgpuDeviceKind Kind => _device.Kind;

    public KernelOptions Options { get; }

    /// <summary>The projection variant in use (<see cref="InputProjectionVariant.Auto"/> resolved).</summary>
    public InputProjectionVariant ProjectionVariant { get; }

    /// <summary>Whether cuBLAS loaded, and if not, why.</summary>
    public string CuBlasStatus { get; }

    internal Accelerator Accelerator => _device.Accelerator;

    internal AcceleratorStream Stream { get; }

    internal LstmKernelSet Kernels { get; }

    internal CuBlasProjection? CuBlas { get; }

    internal object Gate { get; } = new();

    public ILstmRunner Load(LstmModel model) => new IlgpuLstmRunner(this, model);

    public void Dispose()
    {
        lock (Gate)
        {
            CuBlas?.Dispose();
            Stream.Dispose();
            _device.Dispose();
        }
    }
}
