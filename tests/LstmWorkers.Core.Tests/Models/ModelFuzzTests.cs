using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Models;

/// <summary>
/// Mutated copies of small valid models (header length, header bytes, shapes, offsets, dtypes, entries, metadata,
/// truncations), each written to a file and loaded: it either loads and equals the unmutated model, or is refused
/// with a <see cref="ModelFormatException"/> whose one-line message names the file. Never another exception, never a
/// different model. Deterministic: case i of a mutation uses seed i, and a failure names the mutation, seed and bytes.
/// </summary>
public sealed class ModelFuzzTests : IDisposable
{
    private const int Cases = 300;

    /// <summary>Bidirectional, 2 layers, proj_size and an embedding: every kind of tensor. For the structured mutations.</summary>
    private static readonly Sample Full = new(SafeTensorsBuilder.RandomLstm(3, 5, layers: 2, bidirectional: true, projSize: 2, vocab: 6)
        .Metadata("format", "pt"));

    /// <summary>
    /// The same without the embedding, for blind byte mutations: with a byte of its name changed, an embedding is just
    /// another module's tensor, ignored by design, and the file a valid features model. Every LSTM tensor is required,
    /// so a changed LSTM name is always refused.
    /// </summary>
    private static readonly Sample Bare = new(SafeTensorsBuilder.RandomLstm(3, 5, layers: 2, bidirectional: true, projSize: 2)
        .Metadata("format", "pt"));

    private static readonly string[] Numbers =
        ["-1", "0", "1", "7", "2147483647", "2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "-9223372036854775808",
            "1.5", "1e3", "\"3\"", "null", "true", "[]", "{}"];

    private static readonly string[] Fields = ["dtype", "shape", "data_offsets"];

    private static readonly Dictionary<string, Func<Random, (Sample Original, byte[] Bytes)>> Mutators = new()
    {
        ["header length"] = HeaderLength,
        ["header bytes"] = HeaderBytes,
        ["header byte inserted or deleted"] = HeaderByteInsertedOrDeleted,
        ["shape"] = random => (Full, Full.WithTensor(random, (entry, r) => entry["shape"] = Shape(r, entry["shape"]!.AsArray()))),
        ["data_offsets"] = random => (Full, Full.WithTensor(random, (entry, r) => entry["data_offsets"] = Offsets(r, entry["data_offsets"]!.AsArray()))),
        ["dtype"] = random => (Full, Full.WithTensor(random, (entry, r) => entry["dtype"] = Pick(r,
            ["\"F16\"", "\"BF16\"", "\"F64\"", "\"I32\"", "\"I64\"", "\"U8\"", "\"BOOL\"", "\"F8_E4M3\"", "\"f32\"", "\" F32\"", "\"1\"", "\"\"",
                "32", "null", "[\"F32\"]"]))),
        ["entry"] = random => (Full, Entry(random)),
        ["metadata"] = random => (Full, Metadata(random)),
        ["truncated or extended"] = TruncatedOrExtended,
    };

    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("lstmw-fuzz-").FullName, "mutant.safetensors");

    public static TheoryData<string> Mutations => new(Mutators.Keys);

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_mutated_model_loads_unchanged_or_is_refused_naming_the_file(string mutation)
    {
        int refused = 0;
        for (int seed = 0; seed < Cases; seed++)
        {
            var (original, bytes) = Mutators[mutation](new Random(seed));
            File.WriteAllBytes(_path, bytes);
            string context = $"{mutation}, seed {seed}: {Convert.ToBase64String(bytes)}";
            LstmModel model;
            try
            {
                model = LstmModel.Load(_path);
            }
            catch (ModelFormatException e)
            {
                Assert.True(e.Message.StartsWith(_path, StringComparison.Ordinal) && !e.Message.Contains('\n'), $"{context}\n{e.Message}");
                refused++;
                continue;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{context}\n{e.GetType().Name} instead of a ModelFormatException", e);
            }

            AssertSame(original.Model, model, context);
        }

        Assert.True(refused > Cases / 4, $"{mutation}: only {refused} of {Cases} mutants were refused");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    private static (Sample, byte[]) HeaderLength(Random random)
    {
        var sample = random.Next(2) == 0 ? Full : Bare;
        long header = sample.Header.Length, file = sample.Bytes.Length;
        ulong[] candidates =
        [
            0, 1, 7, 8, (ulong)header - 8, (ulong)header - 1, (ulong)header + 1, (ulong)header + 8, (ulong)file - 8, (ulong)file,
            100 * 1024 * 1024, 100 * 1024 * 1024 + 1, 1UL << 31, (1UL << 32) + (ulong)header, 1UL << 63, ulong.MaxValue, (ulong)random.NextInt64(),
        ];
        byte[] bytes = sample.Bytes.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, candidates[random.Next(candidates.Length)]);
        return (sample, bytes);
    }

    private static (Sample, byte[]) HeaderBytes(Random random)
    {
        byte[] bytes = Bare.Bytes.ToArray();
        byte[] interesting = "\"{}[],:-.0123456789eE \t\n\\u"u8.ToArray();
        for (int changes = random.Next(1, 4); changes > 0; changes--)
        {
            bytes[8 + random.Next(Bare.Header.Length)] = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
        }

        return (Bare, bytes);
    }

    private static (Sample, byte[]) HeaderByteInsertedOrDeleted(Random random)
    {
        var header = Bare.Header.ToList();
        int at = random.Next(header.Count);
        if (random.Next(2) == 0)
        {
            header.RemoveAt(at);
        }
        else
        {
            header.Insert(at, (byte)random.Next(256));
        }

        byte[] bytes = [.. new byte[8], .. header, .. Bare.Data];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(random.Next(2) == 0 ? Bare.Header.Length : header.Count));
        return (Bare, bytes);
    }

    private static JsonNode? Shape(Random random, JsonArray shape)
    {
        var dims = shape.Select(d => d!.GetValue<long>()).ToList();
        switch (random.Next(5))
        {
            case 0:
                int at = random.Next(dims.Count);
                string value = Pick(random, Numbers)?.ToJsonString() ?? "null";
                return Json($"[{string.Join(",", dims.Select((d, i) => i == at ? value : $"{d}"))}]");
            case 1:
                dims.Insert(random.Next(dims.Count + 1), random.Next(3));
                break;
            case 2:
                dims.RemoveAt(random.Next(dims.Count));
                break;
            case 3:
                dims.Reverse();
                break;
            default:
                return Pick(random, Numbers);
        }

        return Json($"[{string.Join(",", dims)}]");
    }

    private static JsonNode? Offsets(Random random, JsonArray offsets)
    {
        long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
        string[] values = [.. Numbers, $"{begin - 1}", $"{begin + 1}", $"{end - 1}", $"{end + 1}", $"{Full.Data.Length}", $"{Full.Data.Length + 1}"];
        return random.Next(4) switch
        {
            0 => Json($"[{values[random.Next(values.Length)]},{end}]"),
            1 => Json($"[{begin},{values[random.Next(values.Length)]}]"),
            2 => Json(random.Next(2) == 0 ? $"[{begin}]" : $"[{begin},{end},{end}]"),
            _ => Pick(random, Numbers),
        };
    }

    private static byte[] Entry(Random random)
    {
        string name = Full.Names[random.Next(Full.Names.Length)];
        return random.Next(5) switch
        {
            0 => Full.WithTensor(random, (entry, r) => entry.Remove(Fields[r.Next(Fields.Length)])),
            1 => Full.WithTensor(random, (entry, r) => entry["comment"] = Pick(r, Numbers)), // unknown fields are ignored: loads unchanged
            2 => Full.WithHeaderText(text => text.Replace($"\"{name}\":{{", $"\"{name}\":{{\"dtype\":\"F32\",", StringComparison.Ordinal)),
            3 => Full.WithHeader(header => header[name] = Pick(random, Numbers)),
            _ => Full.WithHeader(header => header.Remove(name)),
        };
    }

    private static byte[] Metadata(Random random) => random.Next(3) switch
    {
        0 => Full.WithHeader(header => header["__metadata__"] = Pick(random, [.. Numbers, "\"pt\"", "{\"format\":\"np\"}", "{\"format\":1}",
            "{\"format\":{\"a\":\"b\"}}", "{}", "{\"a\":\"\\u0000\",\"b\":\"\"}"])),
        1 => Full.WithHeaderText(text => text.Replace("{\"format\":\"pt\"}", "{\"format\":\"pt\",\"format\":\"pt\"}", StringComparison.Ordinal)),
        _ => Full.WithHeaderText(text => "{\"__metadata__\":{},\"__metadata__\":{}," + text[1..]),
    };

    private static (Sample, byte[]) TruncatedOrExtended(Random random)
    {
        var sample = random.Next(2) == 0 ? Full : Bare;
        return (sample, random.Next(2) == 0
            ? sample.Bytes[..random.Next(sample.Bytes.Length)]
            : [.. sample.Bytes, .. Enumerable.Range(0, random.Next(1, 17)).Select(_ => (byte)random.Next(256))]);
    }

    private static JsonNode? Pick(Random random, string[] json) => Json(json[random.Next(json.Length)]);

    private static JsonNode? Json(string text) => JsonNode.Parse(text);

    private static void AssertSame(LstmModel expected, LstmModel actual, string context)
    {
        Assert.True(expected.Config == actual.Config, $"{context}\nloaded as {actual.Config}, not {expected.Config}");
        Assert.True(expected.Embedding?.Data.SequenceEqual(actual.Embedding!.Data) ?? actual.Embedding is null, $"{context}\nembedding differs");
        for (int layer = 0; layer < expected.Config.NumLayers; layer++)
        {
            for (int direction = 0; direction < expected.Config.NumDirections; direction++)
            {
                LstmLayerWeights want = expected.Weights(layer, direction), got = actual.Weights(layer, direction);
                float[]?[] wanted = [want.InputWeights, want.HiddenWeights, want.InputBias, want.HiddenBias, want.ProjectionWeights];
                float[]?[] gotten = [got.InputWeights, got.HiddenWeights, got.InputBias, got.HiddenBias, got.ProjectionWeights];
                Assert.True(wanted.Zip(gotten).All(p => p.First?.SequenceEqual(p.Second!) ?? p.Second is null),
                    $"{context}\nlayer {layer} direction {direction} differs");
            }
        }
    }

    /// <summary>A valid model file split into its parts, with the model it holds.</summary>
    private sealed class Sample
    {
        public Sample(SafeTensorsBuilder builder)
        {
            Bytes = builder.ToBytes();
            int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes);
            Header = Bytes[8..(8 + length)];
            Data = Bytes[(8 + length)..];
            Model = LstmModelReader.Read(SafeTensorsFile.Parse(Bytes, "sample.safetensors"));
            Names = [.. HeaderObject().Select(p => p.Key).Where(k => k != "__metadata__")];
        }

        public byte[] Bytes { get; }

        public byte[] Header { get; }

        public byte[] Data { get; }

        public LstmModel Model { get; }

        public string[] Names { get; }

        /// <summary>The file with one tensor's header entry changed by <paramref name="mutate"/>.</summary>
        public byte[] WithTensor(Random random, Action<JsonObject, Random> mutate)
        {
            string name = Names[random.Next(Names.Length)];
            return WithHeader(header => mutate(header[name]!.AsObject(), random));
        }

        public byte[] WithHeader(Action<JsonObject> mutate)
        {
            var header = HeaderObject();
            mutate(header);
            return SafeTensorsBuilder.Assemble(header.ToJsonString(), Data);
        }

        public byte[] WithHeaderText(Func<string, string> mutate) =>
            SafeTensorsBuilder.Assemble(mutate(Encoding.UTF8.GetString(Header).TrimEnd(' ')), Data);

        private JsonObject HeaderObject() => JsonNode.Parse(Header)!.AsObject();
    }
}
