using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;

namespace LstmWorkers.TestSupport;

/// <summary>
/// One LSTM case of the fixtures (<c>manifest.json</c>'s <c>cases</c>), read and packed as PyTorch packed it: the model,
/// the case's file (the expected results), its input (token ids embedded), lengths, initial state and packed sequence.
/// </summary>
public sealed record FixtureCase(LstmModel Model, SafeTensorsFile File, int[] Lengths, LstmState? State, PackedSequence<float> Packed)
{
    public static FixtureCase Load(string name)
    {
        var entry = Fixtures.Entry("cases", name);
        var model = LstmModel.Load(Fixtures.PathOf(entry.GetProperty("model_file").GetString()!));
        var file = Fixtures.Open(entry.GetProperty("case_file").GetString()!);
        var input = file.Contains("tokens") ? new Embedding(model.Embedding!).Forward(file.ReadInt64("tokens")) : file.ReadFloat32("input");
        var lengths = Array.ConvertAll(file.ReadInt64("lengths").Data, v => (int)v);
        var state = file.Contains("h0") ? new LstmState(file.ReadFloat32("h0"), file.ReadFloat32("c0")) : null;
        return new FixtureCase(model, file, lengths, state, RnnUtils.Pack(input, lengths, batchFirst: true, enforceSorted: false));
    }

    /// <summary>The packed input as one batch for a runner, its initial state in the batch's order.</summary>
    public LstmBatch Batch(bool needOutput, LstmPooling pooling) => new(Lengths.Length, Packed.BatchSizes, null, Packed.Data.Data)
    {
        Initial = State?.SelectBatch(Packed.SortedIndices!),
        NeedOutput = needOutput,
        Pooling = pooling,
    };
}
