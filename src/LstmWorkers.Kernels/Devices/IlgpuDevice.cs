using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace LstmWorkers.Kernels.Devices;

/// <summary>
/// One ILGPU context with one accelerator on it, chosen by <see cref="IlgpuDeviceKind"/>. Owns
/// both and disposes the accelerator before the context. Not thread-safe: callers serialize use.
/// </summary>
public sealed class IlgpuDevice : IDisposable
{
    /// <summary>Why an OpenCL device may be refused, for every message that mentions OpenCL.</summary>
    public const string OpenCLNote =
        "ILGPU's OpenCL backend needs OpenCL 2.0+ with the generic address space; CPU runtimes such as " +
        "Debian's PoCL 3.1 (OpenCL C 1.2) are refused with CapabilityNotSupportedException: GenericAddressSpace, " +
        "and .NET finds the ICD loader only as libOpenCL.so (package ocl-icd-opencl-dev)";

    /// <summary>The emulated CPU device: 16 threads × 16 warps = groups of up to 256 threads, as the tiled kernels need.</summary>
    private static readonly CPUDevice EmulatedCpu = new(numThreadsPerWarp: 16, numWarpsPerMultiprocessor: 16, numMultiprocessors: 1);

    private IlgpuDevice(Context context, Accelerator accelerator, IlgpuDeviceKind kind)
    {
        Context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    /// <summary>The kind actually opened (never <see cref="IlgpuDeviceKind.Auto"/>).</summary>
    public IlgpuDeviceKind Kind { get; }

    /// <summary>E.g. "cuda: NVIDIA H100 80GB HBM3 (SM_90, 132 multiprocessors, 79.1 GiB)".</summary>
    public string Description => Kind switch
    {
        IlgpuDeviceKind.Cuda when Accelerator is CudaAccelerator cuda =>
            $"cuda: {cuda.Name} ({cuda.Architecture}, {cuda.NumMultiprocessors} multiprocessors, {cuda.MemorySize / (double)(1L << 30):F1} GiB)",
        IlgpuDeviceKind.IlgpuCpu => $"ilgpu-cpu: ILGPU CPU accelerator (emulator, {Accelerator.MaxNumThreadsPerGroup} threads per group)",
        _ => $"{Name(Kind)}: {Accelerator.Name}",
    };

    /// <summary>The <c>--device</c> names this backend serves: auto, ilgpu-cpu, opencl, cuda.</summary>
    public static bool TryParse(string name, out IlgpuDeviceKind kind)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "auto": kind = IlgpuDeviceKind.Auto; return true;
            case "ilgpu-cpu": kind = IlgpuDeviceKind.IlgpuCpu; return true;
            case "opencl": kind = IlgpuDeviceKind.OpenCL; return true;
            case "cuda": kind = IlgpuDeviceKind.Cuda; return true;
            default: kind = default; return false;
        }
    }

    public static string Name(IlgpuDeviceKind kind) => kind switch
    {
        IlgpuDeviceKind.Auto => "auto",
        IlgpuDeviceKind.IlgpuCpu => "ilgpu-cpu",
        IlgpuDeviceKind.OpenCL => "opencl",
        _ => "cuda",
    };

    /// <summary>
    /// Opens <paramref name="kind"/>; for <see cref="IlgpuDeviceKind.Auto"/> tries CUDA, then an
    /// OpenCL GPU. On failure returns false and a sentence saying what was looked for and why it failed.
    /// </summary>
    public static bool TryOpen(IlgpuDeviceKind kind, [NotNullWhen(true)] out IlgpuDevice? device, out string reason)
    {
        switch (kind)
        {
            case IlgpuDeviceKind.IlgpuCpu:
                return TryCreate(kind, b => b.CPU(EmulatedCpu), c => c.Devices.OfType<CPUDevice>().FirstOrDefault(), "no ILGPU CPU device", out device, out reason);
            case IlgpuDeviceKind.Cuda:
                return TryCreate(kind, b => b.Cuda(), c => c.Devices.OfType<CudaDevice>().FirstOrDefault(),
                    "no CUDA device found (no NVIDIA GPU, or the driver's libcuda.so is not installed)", out device, out reason);
            case IlgpuDeviceKind.OpenCL:
                return TryCreate(kind, b => b.OpenCL(), c => c.Devices.OfType<CLDevice>().FirstOrDefault(),
                    $"no OpenCL device found; {OpenCLNote}", out device, out reason);
            default:
                if (TryOpen(IlgpuDeviceKind.Cuda, out var cudaDevice, out string cudaReason))
                {
                    device = cudaDevice;
                    reason = "auto: chose CUDA";
                    return true;
                }

                if (TryCreate(IlgpuDeviceKind.OpenCL, b => b.OpenCL(), c => c.Devices.OfType<CLDevice>().FirstOrDefault(d => d.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU),
                    "no OpenCL GPU", out device, out string clReason))
                {
                    reason = $"auto: chose an OpenCL GPU ({cudaReason})";
                    return true;
                }

                reason = $"auto: no ILGPU GPU device: {cudaReason}; {clReason}";
                return false;
        }
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }

    private static bool TryCreate(IlgpuDeviceKind kind, Func<Context.Builder, Context.Builder> configure, Func<Context, Device?> pick,
        string missing, [NotNullWhen(true)] out IlgpuDevice? device, out string reason)
    {
        device = null;
        Context? context = null;
        try
        {
            context = Context.Create(builder => configure(builder).EnableAlgorithms());
            var chosen = pick(context);
            if (chosen is null)
            {
                context.Dispose();
                reason = $"{Name(kind)}: {missing}";
                return false;
            }

            device = new IlgpuDevice(context, chosen.CreateAccelerator(context), kind);
            reason = $"{Name(kind)}: opened {chosen.Name}";
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context?.Dispose();
            string note = kind == IlgpuDeviceKind.OpenCL ? $"; {OpenCLNote}" : "";
            reason = $"{Name(kind)}: could not open the device: {ex.GetType().Name}: {ex.Message}{note}";
            return false;
        }
    }
}
