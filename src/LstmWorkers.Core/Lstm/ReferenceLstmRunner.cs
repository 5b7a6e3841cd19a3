using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm;

/// <summary><see cref="LstmReference"/> behind the runner interface: slow, exact, the oracle.</summary>
public sealed class ReferenceLstmRunner(LstmModel model) : ILstmRunner
{
    public LstmModel Model { get; } = model;

    public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken) => LstmReference.Forward(Model, batch);

    public void Dispose()
    {
    }
}
