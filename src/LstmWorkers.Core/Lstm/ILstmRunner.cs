using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm;

/// <summary>A model loaded onto a backend. <see cref="Run"/> may be called from several threads at once.</summary>
public interface ILstmRunner : IDisposable
{
    LstmModel Model { get; }

    LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken);
}
