using LstmWorkers.Kernels.Tests.Lstm;
using LstmWorkers.Kernels.Tests.Runners;

namespace LstmWorkers.Kernels.Tests.Accelerators;

// The same abstract tests on the first CUDA GPU; skipped where there is none (CI). cuBLAS is
// tested too: ILGPU 1.5.3 looks for libcublas.so.10/11/12 (gpu-check.sh links a newer one under that name).

[Collection(CudaCollection.Name)]
public sealed class CudaInputProjectionKernelTests(CudaDeviceFixture fixture) : InputProjectionKernelTests(fixture)
{
    [GpuTheory]
    [MemberData(nameof(Shapes))]
    public void V1Naive_equals_the_reference(int rows, int cols, int depth, bool tokens) =>
        Projection_equals_the_reference(InputProjectionVariant.V1Naive, rows, cols, depth, tokens);

    [GpuTheory]
    [MemberData(nameof(Shapes))]
    public void V2Tiled_equals_the_reference(int rows, int cols, int depth, bool tokens) =>
        Projection_equals_the_reference(InputProjectionVariant.V2Tiled, rows, cols, depth, tokens);

    [GpuTheory]
    [MemberData(nameof(Shapes))]
    public void CuBlas_equals_the_reference(int rows, int cols, int depth, bool tokens) =>
        Projection_equals_the_reference(InputProjectionVariant.CuBlas, rows, cols, depth, tokens);
}

[Collection(CudaCollection.Name)]
public sealed class CudaRecurrentKernelTests(CudaDeviceFixture fixture) : RecurrentKernelTests(fixture)
{
    [GpuTheory]
    [MemberData(nameof(Cases))]
    public void V1Naive_equals_the_reference(int hidden, int proj, int directions, int[] lengths, int step) =>
        Step_equals_the_reference(RecurrentVariant.V1Naive, hidden, proj, directions, lengths, step);

    [GpuTheory]
    [MemberData(nameof(Cases))]
    public void V2Tiled_equals_the_reference(int hidden, int proj, int directions, int[] lengths, int step) =>
        Step_equals_the_reference(RecurrentVariant.V2Tiled, hidden, proj, directions, lengths, step);
}

[Collection(CudaCollection.Name)]
public sealed class CudaStateKernelTests(CudaDeviceFixture fixture) : StateKernelTests(fixture)
{
    [GpuTheory]
    [InlineData(1, 7, new[] { 4, 2, 2, 1, 0 })]
    [InlineData(2, 3, new[] { 5, 1, 0, 0 })]
    public void Final_hidden_takes_each_sequence_last_step(int directions, int outputSize, int[] lengths) =>
        Final_hidden_equals_the_reference(directions, outputSize, lengths);
}

[Collection(CudaCollection.Name)]
public sealed class CudaPoolingKernelTests(CudaDeviceFixture fixture) : PoolingKernelTests(fixture)
{
    [GpuTheory]
    [InlineData(1, new[] { 4, 2, 2, 1, 0 })]
    [InlineData(12, new[] { 9, 3, 0, 0 })]
    [InlineData(5, new[] { 0, 0 })]
    public void Pool_takes_each_sequence_own_steps_as_the_cpu_does(int width, int[] lengths) => Pool_equals_the_cpu_pooling(width, lengths);
}

[Collection(CudaCollection.Name)]
public sealed class CudaIlgpuLstmRunnerTests(CudaDeviceFixture fixture) : IlgpuLstmRunnerTests(fixture)
{
    [GpuTheory]
    [MemberData(nameof(RandomCases))]
    public void Run_on_random_models_matches_the_reference(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab,
        int[] lengths, bool initialState) =>
        Run_matches_the_reference(input, hidden, layers, bidirectional, proj, bias, vocab, lengths, initialState);

    [GpuFact]
    public void Run_after_run_reuses_device_buffers() => Run_twice_with_different_batches_reuses_buffers_correctly();

    [GpuTheory]
    [MemberData(nameof(FixtureCases))]
    public void Forward_matches_pytorch(string name) => Forward_on_a_fixture_matches_pytorch(name);

    [GpuTheory]
    [MemberData(nameof(FixtureCases))]
    public void Pooled_vectors_match_pytorch(string name) => Pooled_vectors_of_a_fixture_match_pytorch(name);

    [GpuFact]
    public void Tokens_go_through_the_fused_embedding() => Tokens_are_embedded_on_the_device_as_on_the_host();
}
