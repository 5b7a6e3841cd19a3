using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm;

/// <summary>
/// A place LSTMs run (managed CPU code, an ILGPU accelerator, …). Loading a model prepares it
/// once for this device (packed weights, device buffers); the runner then serves many batches.
/// </summary>
public interface ILstmBackend
{
    /// <summary>A short description of the device for logs and summaries, e.g. "cpu (2 threads, AVX-512)".</summary>
    string Device { get; }

    ILstmRunner Load(LstmModel model);
}
