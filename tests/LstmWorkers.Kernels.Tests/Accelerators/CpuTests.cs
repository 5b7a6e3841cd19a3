using LstmWorkers.Kernels.Tests.Lstm;
using LstmWorkers.Kernels.Tests.Runners;

namespace LstmWorkers.Kernels.Tests.Accelerators;

// The abstract tests on ILGPU's CPU accelerator: always run, in CI too. It emulates a GPU
// (~50× slower than vectorized C#), so the shapes stay small.

[Collection(CpuCollection.Name)]
public sealed class CpuInputProjectionKernelTests(CpuDeviceFixture fixture) : InputProjectionKernelTests(fixture)
{
    [Theory]
    [MemberData(nameof(Shapes))]
    public void V1Naive_equals_the_reference(int rows, int cols, int depth, bool tokens) =>
        Projection_equals_the_reference(InputProjectionVariant.V1Naive, rows, cols, depth, tokens);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void V2Tiled_equals_the_reference(int rows, int cols, int depth, bool tokens) =>
        Projection_equals_the_reference(InputProjectionVariant.V2Tiled, rows, cols, depth, tokens);
}

[Collection(CpuCollection.Name)]
public sealed class CpuRecurrentKernelTests(CpuDeviceFixture fixture) : RecurrentKernelTests(fixture)
{
    [Theory]
    [MemberData(nameof(Cases))]
    public void V1Naive_equals_the_reference(int hidden, int proj, int directions, int[] lengths, int step) =>
        Step_equals_the_reference(RecurrentVariant.V1Naive, hidden, proj, directions, lengths, step);

    [Theory]
    [MemberData(nameof(Cases))]
    public void V2Tiled_equals_the_reference(int hidden, int proj, int directions, int[] lengths, int step) =>
        Step_equals_the_reference(RecurrentVariant.V2Tiled, hidden, proj, directions, lengths, step);
}

[Collection(CpuCollection.Name)]
public sealed class CpuStateKernelTests(CpuDeviceFixture fixture) : StateKernelTests(fixture)
{
    [Theory]
    [InlineData(1, 7, new[] { 4, 2, 2, 1, 0 })]
    [InlineData(2, 3, new[] { 5, 1, 0, 0 })]
    public void Final_hidden_takes_each_sequence_last_step(int directions, int outputSize, int[] lengths) =>
        Final_hidden_equals_the_reference(directions, outputSize, lengths);
}

[Collection(CpuCollection.Name)]
public sealed class CpuPoolingKernelTests(CpuDeviceFixture fixture) : PoolingKernelTests(fixture)
{
    [Theory]
    [InlineData(1, new[] { 4, 2, 2, 1, 0 })]
    [InlineData(12, new[] { 9, 3, 0, 0 })]
    [InlineData(5, new[] { 0, 0 })]
    public void Pool_takes_each_sequence_own_steps_as_the_cpu_does(int width, int[] lengths) => Pool_equals_the_cpu_pooling(width, lengths);
}

[Collection(CpuCollection.Name)]
public sealed class CpuIlgpuLstmRunnerTests(CpuDeviceFixture fixture) : IlgpuLstmRunnerTests(fixture)
{
    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Run_on_random_models_matches_the_reference(int input, int hidden, int layers, bool bidirectional, int proj, bool bias, int vocab,
        int[] lengths, bool initialState) =>
        Run_matches_the_reference(input, hidden, layers, bidirectional, proj, bias, vocab, lengths, initialState);

    [Fact]
    public void Run_after_run_reuses_device_buffers() => Run_twice_with_different_batches_reuses_buffers_correctly();

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Forward_matches_pytorch(string name) => Forward_on_a_fixture_matches_pytorch(name);

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Pooled_vectors_match_pytorch(string name) => Pooled_vectors_of_a_fixture_match_pytorch(name);

    [Fact]
    public void Tokens_go_through_the_fused_embedding() => Tokens_are_embedded_on_the_device_as_on_the_host();

    [Theory]
    [MemberData(nameof(BadBatches))]
    public void Bad_batches_are_refused_as_on_the_cpu(int[] batchSizes, int[] tokens) => A_bad_batch_is_refused_as_the_cpu_runner_refuses_it(batchSizes, tokens);
}
