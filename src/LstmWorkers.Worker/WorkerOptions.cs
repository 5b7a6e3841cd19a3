using LstmWorkers.Core.Lstm.Cpu;

namespace LstmWorkers.Worker;

/// <summary>Settings of a worker (section "Worker").</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>auto | cpu | ilgpu-cpu | opencl | cuda.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Batches run at once, each on one thread; 0 (the default) means one per core.</summary>
    public int Concurrency { get; set; }

    /// <summary>
    /// Models kept loaded at once (default 4). Beyond that the least recently used model no batch is running on is
    /// disposed; it is read and prepared again when a batch needs it.
    /// </summary>
    public int MaxCachedModels { get; set; } = 4;

    /// <summary>Settings of the <c>cpu</c> device (section "Worker:Cpu"): token-table budget, threads per batch, vector width.</summary>
    public CpuLstmOptions Cpu { get; set; } = new();

    /// <summary>
    /// The directories whose models this worker may read (<c>--data-root</c>; default: the working directory), checked by
    /// real path as the coordinator checks its own: a batch naming a model elsewhere fails before the model is read.
    /// </summary>
    public string[] DataRoots { get; set; } = [];

    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;
}
