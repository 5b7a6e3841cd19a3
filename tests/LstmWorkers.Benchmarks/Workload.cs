using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LstmWorkers.Core.Lstm;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// A benchmark workload (the CPU speed issue's W1 and W2), generated deterministically: the same
/// definitions, seeds and token/feature hash as tools/gpu-check, so every benchmark here sees
/// the same model and data. <see cref="WriteFiles"/> writes what the Python peers
/// (tools/bench/lstm_onnx.py, tools/bench/time_torch.py) read: the model as safetensors, the
/// sorted lengths as int32 and the inputs sequence-major ({name}_data.bin: int32 tokens or
/// float32 features). Sequences are sorted by decreasing length and cut into batches of
/// <see cref="BatchSize"/>.
/// </summary>
public sealed record Workload(string Name, int Vocab, int InputSize, int Hidden, int Layers, bool Bidirectional, int[] Lengths, int BatchSize)
{
    /// <summary>W1: Embedding(32000, 256) → LSTM(256, 256, 2 layers, bidirectional); 4096 lengths round(lognormal(ln 40, 0.7)) in 1..256.</summary>
    public static Workload W1(int sequences = 4096, int maxLength = 256, int batchSize = 256)
    {
        var random = new Random(1);
        var lengths = Enumerable.Range(0, sequences).Select(_ => LogNormalLength(random, 40, 0.7, maxLength));
        return new Workload("W1", 32000, 256, 256, 2, true, [.. lengths.OrderDescending()], batchSize);
    }

    /// <summary>round(lognormal(ln <paramref name="median"/>, <paramref name="sigma"/>)) clamped to 1..<paramref name="maxLength"/> (Box–Muller).</summary>
    private static int LogNormalLength(Random random, double median, double sigma, int maxLength)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(median) + sigma * z)), 1, maxLength);
    }

    /// <summary>
    /// Issue 12's fault-test data: Embedding(1000, 64) → LSTM(64, 128, 2 layers, bidirectional); 16,000 lengths
    /// round(lognormal(ln 40, 0.75)) in 1..200, mean ≈ 53, so about 73% of a padded <c>output</c> is padding.
    /// </summary>
    public static Workload Faults(int sequences = 16000, int maxLength = 200, int batchSize = 256)
    {
        var random = new Random(3);
        var lengths = Enumerable.Range(0, sequences).Select(_ => LogNormalLength(random, 40, 0.75, maxLength));
        return new Workload("faults", 1000, 64, 128, 2, true, [.. lengths.OrderDescending()], batchSize);
    }

    /// <summary>W2: LSTM(32, 64) on features; 20,000 lengths uniform in 10..100.</summary>
    public static Workload W2(int sequences = 20000, int maxLength = 100, int batchSize = 256, string name = "W2")
    {
        var random = new Random(2);
        var lengths = Enumerable.Range(0, sequences).Select(_ => Math.Min(maxLength, random.Next(10, 101)));
        return new Workload(name, 0, 32, 64, 1, false, [.. lengths.OrderDescending()], batchSize);
    }

    /// <summary>10×W2: W2's model on 200,000 sequences (11 M tokens, 1.4 GB of floats), where start-up no longer counts.</summary>
    public static Workload W2x10() => W2(sequences: 200_000, name: "W2x10");

    public long Tokens => Lengths.Sum(l => (long)l);

    public static ulong Mix(ulong key)
    {
        ulong h = key * 0x9E3779B97F4A7C15UL;
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        return h ^ (h >> 32);
    }

    public static int Token(int sequence, int step, int vocab) => (int)(Mix((ulong)sequence * 65536 + (ulong)step) % (ulong)vocab);

    public static float Feature(int sequence, int step, int k, int inputSize) =>
        ((Mix(((ulong)sequence * 65536 + (ulong)step) * (ulong)inputSize + (ulong)k) >> 16) & 0xFFFF) / 32768f - 1f;

    /// <summary>The packed batches: sequences [j·B, (j+1)·B) in sorted order.</summary>
    public IEnumerable<LstmBatch> Batches()
    {
        for (int first = 0; first < Lengths.Length; first += BatchSize)
        {
            int count = Math.Min(BatchSize, Lengths.Length - first);
            var batchSizes = Enumerable.Range(0, Lengths[first]).Select(t => Lengths.AsSpan(first, count).ToArray().Count(l => l > t)).ToArray();
            int steps = batchSizes.Sum(), row = 0;
            var tokens = Vocab > 0 ? new int[steps] : null;
            var features = Vocab > 0 ? null : new float[steps * InputSize];
            for (int t = 0; t < batchSizes.Length; t++)
            {
                for (int b = 0; b < batchSizes[t]; b++, row++)
                {
                    if (tokens is not null)
                    {
                        tokens[row] = Token(first + b, t, Vocab);
                    }
                    else
                    {
                        for (int k = 0; k < InputSize; k++)
                        {
                            features![row * InputSize + k] = Feature(first + b, t, k, InputSize);
                        }
                    }
                }
            }

            yield return new LstmBatch(count, batchSizes, tokens, features);
        }
    }

    /// <summary>Writes {name}.safetensors (PyTorch names, seeded uniform(±1/√H) like nn.LSTM's init) and {name}_lengths.bin.</summary>
    public string WriteFiles(string directory)
    {
        var random = new Random(Name.Sum(ch => ch) * 7919);
        float bound = 1f / MathF.Sqrt(Hidden);
        var tensors = new List<(string Name, int[] Shape, float[] Values)>();
        if (Vocab > 0)
        {
            tensors.Add(("embedding.weight", [Vocab, InputSize], Uniform(random, Vocab * InputSize, 1f)));
        }

        int directions = Bidirectional ? 2 : 1;
        for (int layer = 0; layer < Layers; layer++)
        {
            foreach (string suffix in Bidirectional ? new[] { "", "_reverse" } : [""])
            {
                int input = layer == 0 ? InputSize : directions * Hidden;
                tensors.Add(($"lstm.weight_ih_l{layer}{suffix}", [4 * Hidden, input], Uniform(random, 4 * Hidden * input, bound)));
                tensors.Add(($"lstm.weight_hh_l{layer}{suffix}", [4 * Hidden, Hidden], Uniform(random, 4 * Hidden * Hidden, bound)));
                tensors.Add(($"lstm.bias_ih_l{layer}{suffix}", [4 * Hidden], Uniform(random, 4 * Hidden, bound)));
                tensors.Add(($"lstm.bias_hh_l{layer}{suffix}", [4 * Hidden], Uniform(random, 4 * Hidden, bound)));
            }
        }

        string path = Path.Combine(directory, $"{Name}.safetensors");
        WriteSafeTensors(path, tensors, BatchSize);
        File.WriteAllBytes(Path.Combine(directory, $"{Name}_lengths.bin"), MemoryMarshal.AsBytes(Lengths.AsSpan()).ToArray());
        WriteData(Path.Combine(directory, $"{Name}_data.bin"));
        return path;
    }

    /// <summary>The inputs sequence-major, in sorted order: sequence s's steps 0..len−1 one after another
    /// (int32 tokens, or float32 features [len, I]).</summary>
    private void WriteData(string path)
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        Span<byte> four = stackalloc byte[4];
        for (int s = 0; s < Lengths.Length; s++)
        {
            for (int t = 0; t < Lengths[s]; t++)
            {
                if (Vocab > 0)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(four, Token(s, t, Vocab));
                    stream.Write(four);
                    continue;
                }

                for (int k = 0; k < InputSize; k++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(four, Feature(s, t, k, InputSize));
                    stream.Write(four);
                }
            }
        }
    }

    private static float[] Uniform(Random random, int count, float bound) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * bound)).ToArray();

    private static void WriteSafeTensors(string path, List<(string Name, int[] Shape, float[] Values)> tensors, int batchSize)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["batch_size"] = $"{batchSize}" } };
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + 4L * values.Length } };
            offset += 4L * values.Length;
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
        foreach (var tensor in tensors)
        {
            stream.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
        }
    }
}
