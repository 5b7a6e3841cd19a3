using LstmWorkers.Kernels.Devices;
using LstmWorkers.Kernels.Runners;

namespace LstmWorkers.Kernels.Tests;

/// <summary>
/// One ILGPU backend per device kind, shared by every test of a collection (kernels compile once).
/// <see cref="Backend"/> is null when the device is absent; tests on it are skipped by
/// <see cref="GpuFactAttribute"/> before they get here.
/// </summary>
public abstract class DeviceFixture : IDisposable
{
    private readonly Lazy<IlgpuLstmBackend?> _backend;

    protected DeviceFixture(IlgpuDeviceKind kind)
    {
        Kind = kind;
        _backend = new Lazy<IlgpuLstmBackend?>(() =>
            IlgpuBackends.TryCreate(IlgpuDevice.Name(kind), out var backend, out string reason)
                ? backend
                : throw new InvalidOperationException(reason));
    }

    public IlgpuDeviceKind Kind { get; }

    public IlgpuLstmBackend Backend => _backend.Value!;

    public void Dispose()
    {
        if (_backend.IsValueCreated)
        {
            _backend.Value?.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
