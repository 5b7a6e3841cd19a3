using ILGPU;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// The input projection of one layer, both directions at once: G [N, D·4H] = X·W_catᵀ + bias,
/// with X [N, I] (or an embedding table [V, E] gathered through tokens [N]), W_cat [D·4H, I]
/// (the directions' W_ih stacked, gate rows i, f, g, o) and bias [D·4H] = b_ih + b_hh.
/// Variants:
/// <list type="number">
/// <item><see cref="V1Naive"/>: one thread per output element, straight from global memory.</item>
/// <item><see cref="V2Tiled"/>: 64×64 output tiles per 16×16 group, 16-deep K tiles staged in
/// shared memory, 4×4 outputs per thread in registers (16× reuse of every loaded value).</item>
/// </list>
/// On CUDA, cuBLAS' SGEMM can replace both (opt-in, see <c>Runners/CuBlasProjection</c>).
/// </summary>
public static class InputProjectionKernels
{
    /// <summary>Threads per group side of <see cref="V2Tiled"/>.</summary>
    public const int TileThreads = 16;

    /// <summary>Outputs per thread side: a group computes a <see cref="Tile"/>² block.</summary>
    public const int Micro = 4;

    /// <summary>Output rows (and columns) of one group's block.</summary>
    public const int Tile = TileThreads * Micro;

    /// <summary>Depth of one shared-memory K tile.</summary>
    public const int Depth = 16;

    /// <summary>Row stride of the shared tiles: one float of padding keeps the transposed stores free of bank conflicts.</summary>
    private const int Stride = Tile + 1;

    /// <summary>The plain function both kernels must equal (float accumulation in k order).</summary>
    public static void Reference(float[] x, int[]? tokens, float[] weights, float[] bias, float[] gates, GemmShape shape)
    {
        for (int n = 0; n < shape.Rows; n++)
        {
            int source = tokens is null ? n : tokens[n];
            for (int c = 0; c < shape.Cols; c++)
            {
                float sum = 0;
                for (int k = 0; k < shape.Depth; k++)
                {
                    sum += x[source * shape.Depth + k] * weights[c * shape.Depth + k];
                }

                gates[n * shape.Cols + c] = sum + bias[c];
            }
        }
    }

    /// <summary>V1: thread i computes G[i / cols, i % cols].</summary>
    public static void V1Naive(Index1D index, ArrayView<float> x, ArrayView<int> tokens, ArrayView<float> weights,
        ArrayView<float> bias, ArrayView<float> gates, GemmShape shape)
    {
        long i = index.X;
        int n = (int)(i / shape.Cols), c = (int)(i % shape.Cols);
        long source = shape.UseTokens != 0 ? tokens[n] : n;
        float sum = 0;
        for (int k = 0; k < shape.Depth; k++)
        {
            sum += x[source * shape.Depth + k] * weights[(long)c * shape.Depth + k];
        }

        gates[i] = sum + bias[c];
    }

    /// <summary>
    /// V2: explicitly grouped; group (16, 16), grid (⌈cols/64⌉, ⌈rows/64⌉). Thread (tx, ty) owns
    /// rows row0 + ty + 16i and columns col0 + tx + 16j, i, j ∈ 0..3.
    /// </summary>
    public static void V2Tiled(ArrayView<float> x, ArrayView<int> tokens, ArrayView<float> weights,
        ArrayView<float> bias, ArrayView<float> gates, GemmShape shape)
    {
        var tileX = SharedMemory.Allocate<float>(Depth * Stride);
        var tileW = SharedMemory.Allocate<float>(Depth * Stride);
        int tx = Group.IdxX, ty = Group.IdxY, thread = ty * TileThreads + tx;
        int col0 = Grid.IdxX * Tile, row0 = Grid.IdxY * Tile;
        float a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
        float a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
        for (int k0 = 0; k0 < shape.Depth; k0 += Depth)
        {
            for (int e = thread; e < Tile * Depth; e += TileThreads * TileThreads)
            {
                int r = e / Depth, kk = e % Depth, k = k0 + kk;
                int n = row0 + r, c = col0 + r;
                float xv = 0, wv = 0;
                if (n < shape.Rows && k < shape.Depth)
                {
                    long source = shape.UseTokens != 0 ? tokens[n] : n;
                    xv = x[source * shape.Depth + k];
                }

                if (c < shape.Cols && k < shape.Depth)
                {
                    wv = weights[(long)c * shape.Depth + k];
                }

                tileX[kk * Stride + r] = xv;
                tileW[kk * Stride + r] = wv;
            }

            Group.Barrier();
            for (int kk = 0; kk < Depth; kk++)
            {
                int at = kk * Stride;
                float x0 = tileX[at + ty], x1 = tileX[at + ty + 16], x2 = tileX[at + ty + 32], x3 = tileX[at + ty + 48];
                float w0 = tileW[at + tx], w1 = tileW[at + tx + 16], w2 = tileW[at + tx + 32], w3 = tileW[at + tx + 48];
                a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
                a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
                a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2; a23 += x2 * w3;
                a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2; a33 += x3 * w3;
            }

            Group.Barrier();
        }

        Store(gates, bias, shape, row0 + ty, col0 + tx, a00, a01, a02, a03);
        Store(gates, bias, shape, row0 + ty + 16, col0 + tx, a10, a11, a12, a13);
        Store(gates, bias, shape, row0 + ty + 32, col0 + tx, a20, a21, a22, a23);
        Store(gates, bias, shape, row0 + ty + 48, col0 + tx, a30, a31, a32, a33);
    }

    /// <summary>Copies embedding rows: x[n, :] = table[tokens[n], :] over [N·E] threads (the gather before cuBLAS).</summary>
    public static void GatherRows(Index1D index, ArrayView<float> table, ArrayView<int> tokens, ArrayView<float> x, int width)
    {
        long i = index.X;
        long n = i / width;
        x[i] = table[(long)tokens[n] * width + i % width];
    }

    /// <summary>Fills G[n, c] = bias[c] over [N·cols] threads (cuBLAS then adds X·Wᵀ with β = 1).</summary>
    public static void BroadcastBias(Index1D index, ArrayView<float> bias, ArrayView<float> gates, int cols)
    {
        long i = index.X;
        gates[i] = bias[i % cols];
    }

    private static void Store(ArrayView<float> gates, ArrayView<float> bias, GemmShape shape, int n, int c,
        float v0, float v1, float v2, float v3)
    {
        if (n >= shape.Rows)
        {
            return;
        }

        long at = (long)n * shape.Cols;
        if (c < shape.Cols)
        {
            gates[at + c] = v0 + bias[c];
        }

        if (c + 16 < shape.Cols)
        {
            gates[at + c + 16] = v1 + bias[c + 16];
        }

        if (c + 32 < shape.Cols)
        {
            gates[at + c + 32] = v2 + bias[c + 32];
        }

        if (c + 48 < shape.Cols)
        {
            gates[at + c + 48] = v3 + bias[c + 48];
        }
    }
}
