using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LstmWorkers.TestSupport;

/// <summary>Writes small safetensors files for tests (models that are wrong on purpose, random models).</summary>
public sealed class SafeTensorsBuilder
{
    private readonly List<(string Name, string DType, int[] Shape, byte[] Bytes)> _tensors = [];
    private readonly Dictionary<string, string> _metadata = [];

    /// <summary>Adds a <c>__metadata__</c> entry (torch writes <c>"format": "pt"</c>).</summary>
    public SafeTensorsBuilder Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public SafeTensorsBuilder Add(string name, int[] shape, float[] values)
    {
        _tensors.Add((name, "F32", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return this;
    }

    /// <summary>Adds a float tensor of the given shape filled with seeded uniform values in [−scale, scale).</summary>
    public SafeTensorsBuilder AddRandom(string name, int[] shape, Random random, float scale = 0.5f)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return Add(name, shape, values);
    }

    public SafeTensorsBuilder AddRaw(string name, string dtype, int[] shape, byte[] bytes)
    {
        _tensors.Add((name, dtype, shape, bytes));
        return this;
    }

    public SafeTensorsBuilder Remove(string name)
    {
        _tensors.RemoveAll(t => t.Name == name);
        return this;
    }

    public byte[] ToBytes()
    {
        var header = new Dictionary<string, object>();
        if (_metadata.Count > 0)
        {
            header["__metadata__"] = _metadata;
        }

        long offset = 0;
        foreach (var (name, dtype, shape, bytes) in _tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
        }

        return Assemble(JsonSerializer.SerializeToUtf8Bytes(header), [.. _tensors.SelectMany(t => t.Bytes)]);
    }

    /// <summary>
    /// A file from a header written by hand (any JSON, valid or not) and the data section: the 8-byte length, the
    /// header padded with spaces to a multiple of 8 as the safetensors writer does, then <paramref name="data"/>.
    /// </summary>
    public static byte[] Assemble(string header, byte[] data) => Assemble(Encoding.UTF8.GetBytes(header), data);

    /// <inheritdoc cref="Assemble(string, byte[])"/>
    public static byte[] Assemble(byte[] header, byte[] data)
    {
        int padded = (header.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        result.AsSpan(8, padded).Fill((byte)' ');
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + padded);
        return result;
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>A random <c>lstm.*</c> state_dict with the given shape (and an embedding when vocab &gt; 0).</summary>
    public static SafeTensorsBuilder RandomLstm(int inputSize, int hidden, int layers = 1, bool bidirectional = false,
        int projSize = 0, bool bias = true, int vocab = 0, int seed = 1)
    {
        var random = new Random(seed);
        var builder = new SafeTensorsBuilder();
        int outputSize = projSize > 0 ? projSize : hidden;
        if (vocab > 0)
        {
            builder.AddRandom("embedding.weight", [vocab, inputSize], random, 1f);
        }

        for (int layer = 0; layer < layers; layer++)
        {
            foreach (string suffix in bidirectional ? new[] { "", "_reverse" } : [""])
            {
                int layerInput = layer == 0 ? inputSize : (bidirectional ? 2 : 1) * outputSize;
                builder.AddRandom($"lstm.weight_ih_l{layer}{suffix}", [4 * hidden, layerInput], random);
                builder.AddRandom($"lstm.weight_hh_l{layer}{suffix}", [4 * hidden, outputSize], random);
                if (bias)
                {
                    builder.AddRandom($"lstm.bias_ih_l{layer}{suffix}", [4 * hidden], random);
                    builder.AddRandom($"lstm.bias_hh_l{layer}{suffix}", [4 * hidden], random);
                }

                if (projSize > 0)
                {
                    builder.AddRandom($"lstm.weight_hr_l{layer}{suffix}", [projSize, hidden], random);
                }
            }
        }

        return builder;
    }
}
