namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// Settings of the <c>--device cpu</c> runner. None of them changes a result's bits: every
/// output element is reduced in the same order whatever the width, threads or table.
/// </summary>
public sealed record CpuLstmOptions
{
    /// <summary>
    /// For token inputs, the first layer's input projection is precomputed per model as a table
    /// [V, D, 4H] (embedding · W_ih0ᵀ + biases) when it takes at most this many bytes, turning
    /// that GEMM into a row lookup. 0 turns the table off. Default 256 MiB (W1's V = 32,000,
    /// H = 256, bidirectional: 250 MiB).
    /// </summary>
    public long InputTableBudgetBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Threads one <see cref="ILstmRunner.Run"/> may use. With 2, a bidirectional layer runs its
    /// reverse direction on a second thread, but only while the backend counts an idle core (a
    /// worker running one batch per core leaves none, so it never oversubscribes). Default 2.
    /// </summary>
    public int MaxThreadsPerRun { get; init; } = 2;

    /// <summary>Packed rows whose input projection is computed at a time (whole time steps; at least one). Default 1024.</summary>
    public int ChunkRows { get; init; } = 1024;

    public CpuVectorWidth VectorWidth { get; init; } = CpuVectorWidth.Auto;

    /// <summary>
    /// The cores that runs of one backend share (for <see cref="MaxThreadsPerRun"/>, and the token table's build). Default 0:
    /// every core.
    /// </summary>
    public int Cores { get; init; }

    /// <summary><see cref="Cores"/>, or the machine's core count when it is 0.</summary>
    public int EffectiveCores => Cores > 0 ? Cores : Environment.ProcessorCount;
}
