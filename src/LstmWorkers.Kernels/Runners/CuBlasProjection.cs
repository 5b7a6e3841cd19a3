using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace LstmWorkers.Kernels.Runners;

/// <summary>
/// The input projection through cuBLAS SGEMM (ILGPU.Algorithms' <see cref="CuBlas"/>), strict
/// fp32 (the default math mode, no TF32). ILGPU 1.5.3 looks for libcublas.so.10/11/12 only.
/// </summary>
internal sealed class CuBlasProjection : IDisposable
{
    private readonly CuBlas _blas;

    private CuBlasProjection(CuBlas blas) => _blas = blas;

    public static bool TryCreate(Accelerator accelerator, AcceleratorStream stream, [NotNullWhen(true)] out CuBlasProjection? projection, out string reason)
    {
        projection = null;
        if (accelerator is not CudaAccelerator cuda)
        {
            reason = "cuBLAS needs a CUDA accelerator";
            return false;
        }

        try
        {
            var blas = new CuBlas(cuda) { PointerMode = CuBlasPointerMode.Host };
            blas.Stream = (CudaStream)stream;
            projection = new CuBlasProjection(blas);
            reason = "cuBLAS loaded";
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or CuBlasException or InvalidOperationException)
        {
            reason = $"cuBLAS unavailable ({ex.GetType().Name}: {ex.Message})";
            return false;
        }
    }

    /// <summary>
    /// gates [N, C] (row-major, already holding the bias) += X [N, K] · W [C, K]ᵀ. Column-major,
    /// row-major G is Gᵀ [C, N] = Wᵀ(as stored: [K, C], transposed) · X(as stored: [K, N]), so:
    /// Gemm(T, N, m = C, n = N, k = K, W, lda = K, X, ldb = K, β = 1, G, ldc = C).
    /// </summary>
    public void Project(ArrayView<float> x, ArrayView<float> weights, ArrayView<float> gates, int rows, int cols, int depth) =>
        _blas.Gemm(CuBlasOperation.Transpose, CuBlasOperation.NonTranspose, cols, rows, depth,
            1f, weights, depth, x, depth, 1f, gates, cols);

    public void Dispose() => _blas.Dispose();
}
