using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;
using LstmWorkers.Core.Tensors;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Lstm;

/// <summary>
/// Every runner against PyTorch's float64 results on the fixture grid. Tolerance: our float32
/// maths may differ from the float64 ground truth by 1e-5 absolute plus 1e-5 relative — about
/// 100 float32 ulps at 1.0, room for the rounding of a few hundred accumulated products.
/// </summary>
public class LstmFixtureTests
{
    private const double Atol = 1e-5;
    private const double Rtol = 1e-5;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in Fixtures.Names("cases"))
        {
            data.Add(name, "reference");
            data.Add(name, "cpu");
            data.Add(name, "rowdot");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_on_packed_input_matches_pytorch(string name, string runner)
    {
        var (model, file, _, state, packed) = FixtureCase.Load(name);

        var (output, final) = CreateLstm(runner, model).Forward(packed, state);
        var (padded, _) = RnnUtils.PadPacked(output, batchFirst: true, float.Parse(file.Metadata["padding_value"],
            System.Globalization.CultureInfo.InvariantCulture), int.Parse(file.Metadata["total_length"], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(file.ReadFloat32("packed_data").Data, packed.Data.Data);
        TensorAssert.Close(file.ReadFloat64("packed_output").Data, output.Data.Data, Atol, Rtol, $"{name} packed output");
        Assert.Equal(file.ReadFloat64("output").Shape, padded.Shape);
        TensorAssert.Close(file.ReadFloat64("output").Data, padded.Data, Atol, Rtol, $"{name} output");
        TensorAssert.Close(file.ReadFloat64("h_n").Data, final.H.Data, Atol, Rtol, $"{name} h_n");
        TensorAssert.Close(file.ReadFloat64("c_n").Data, final.C.Data, Atol, Rtol, $"{name} c_n");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pooled_vectors_without_the_output_match_pytorch(string name, string runner)
    {
        var lstmCase = FixtureCase.Load(name);
        var (model, file, _, _, packed) = lstmCase;
        var batch = lstmCase.Batch(needOutput: false, LstmPooling.Mean | LstmPooling.Max);
        using var lstm = CreateRunner(runner, model);

        var result = lstm.Run(batch, CancellationToken.None);

        int width = model.Config.NumDirections * model.Config.OutputSize;
        Assert.Null(result.Output);
        TensorAssert.Close(file.ReadFloat64("pooled_mean").Data, ToCallerOrder(result.PooledMean!, packed.SortedIndices!, width), Atol, Rtol, $"{name} pooled_mean");
        TensorAssert.Close(file.ReadFloat64("pooled_max").Data, ToCallerOrder(result.PooledMax!, packed.SortedIndices!, width), Atol, Rtol, $"{name} pooled_max");
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("cpu")]
    public void Seed_example_embeds_packs_and_pads_as_pytorch_does(string runner)
    {
        var model = LstmModel.Load(Fixtures.PathOf("models/seed_example.safetensors"));
        var file = Fixtures.Open("seed_example.safetensors");
        var lstm = CreateLstm(runner, model);
        var embedding = new Embedding(model.Embedding!);
        foreach (string batch in new[] { "b1_", "b2_" })
        {
            var embedded = embedding.Forward(file.ReadInt64(batch + "tokens"));
            var lengths = Array.ConvertAll(file.ReadInt64(batch + "lengths").Data, v => (int)v);

            var packed = RnnUtils.Pack(embedded, lengths, batchFirst: true, enforceSorted: false);
            var (output, state) = lstm.Forward(packed);
            var (padded, padLengths) = RnnUtils.PadPacked(output, batchFirst: true, totalLength: 3);

            Assert.Equal(file.ReadFloat32(batch + "embedded").Data, embedded.Data);
            Assert.Equal(Array.ConvertAll(file.ReadInt64(batch + "sorted_indices").Data, v => (int)v), packed.SortedIndices!);
            Assert.Equal(Array.ConvertAll(file.ReadInt64(batch + "batch_sizes").Data, v => (int)v), packed.BatchSizes);
            Assert.Equal(lengths, padLengths);
            TensorAssert.Close(file.ReadFloat64(batch + "output").Data, padded.Data, Atol, Rtol, batch + "output");
            TensorAssert.Close(file.ReadFloat64(batch + "h_n").Data, state.H.Data, Atol, Rtol, batch + "h_n");
            TensorAssert.Close(file.ReadFloat64(batch + "c_n").Data, state.C.Data, Atol, Rtol, batch + "c_n");
        }
    }

    [Fact]
    public void Forward_on_a_full_length_padded_batch_equals_the_packed_forward()
    {
        var model = LstmModelReader.Read(SafeTensorsFile.Parse(SafeTensorsBuilder.RandomLstm(3, 5, layers: 2, bidirectional: true).ToBytes(), "m"));
        var random = new Random(7);
        var input = new Tensor<float>([4, 2, 3], Enumerable.Range(0, 24).Select(_ => (float)random.NextDouble()).ToArray());
        var lstm = new LstmModule(model);

        var (padded, paddedState) = lstm.Forward(input, batchFirst: false);
        var (packed, packedState) = lstm.Forward(RnnUtils.Pack(input, [4, 4]));

        Assert.Equal(RnnUtils.PadPacked(packed).Padded.Data, padded.Data);
        Assert.Equal(packedState.H.Data, paddedState.H.Data);
    }

    private static LstmModule CreateLstm(string runner, LstmModel model) => new(CreateRunner(runner, model));

    private static ILstmRunner CreateRunner(string runner, LstmModel model) => runner switch
    {
        "reference" => new ReferenceLstmRunner(model),
        "cpu" => new CpuLstmBackend().Load(model),
        "rowdot" => new RowDotCpuLstmRunner(model),
        _ => throw new ArgumentOutOfRangeException(nameof(runner)),
    };

    /// <summary>Rows [B, width] in the batch's sorted order → the caller's order (sorted position j is caller row sorted[j]).</summary>
    private static float[] ToCallerOrder(float[] rows, int[] sorted, int width)
    {
        var caller = new float[rows.Length];
        for (int j = 0; j < sorted.Length; j++)
        {
            rows.AsSpan(j * width, width).CopyTo(caller.AsSpan(sorted[j] * width, width));
        }

        return caller;
    }
}
