using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;

namespace LstmWorkers.Worker;

/// <summary>Chooses the LSTM backend for <c>--device</c>.</summary>
public static class LstmBackends
{
    public static readonly string[] DeviceNames = ["auto", "cpu", "ilgpu-cpu", "opencl", "cuda"];

    /// <summary>The backend for <paramref name="device"/> and a sentence saying why it was chosen.</summary>
    public static (ILstmBackend Backend, string Reason) Create(string device) => device switch
    {
        "cpu" => (new CpuLstmBackend(), "--device cpu"),
        "auto" => (new CpuLstmBackend(), "auto: no GPU backend is built into this worker"),
        "ilgpu-cpu" or "opencl" or "cuda" => throw new ArgumentException(
            $"device '{device}' needs the ILGPU backend, which this build does not include"),
        _ => throw new ArgumentException($"unknown device '{device}'; use one of: {string.Join(", ", DeviceNames)}"),
    };
}
