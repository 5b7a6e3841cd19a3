namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// Sizes of the input projection G[n, c] = Σ_k X[src(n), k] · W[c, k] + bias[c] as a kernel
/// argument: <see cref="Rows"/> = N packed steps, <see cref="Cols"/> = D·4H gate rows of every
/// direction, <see cref="Depth"/> = I_k. With <see cref="UseTokens"/> ≠ 0, X is an embedding table
/// and src(n) = tokens[n] (the embedding gather fused into layer 0); otherwise src(n) = n.
/// </summary>
public readonly struct GemmShape(int rows, int cols, int depth, bool useTokens)
{
    public readonly int Rows = rows;
    public readonly int Cols = cols;
    public readonly int Depth = depth;
    public readonly int UseTokens = useTokens ? 1 : 0;
}
