using System.Text.RegularExpressions;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Infers an <see cref="LstmConfig"/> from state_dict names and shapes (<c>lstm.weight_ih_l{k}</c>,
/// <c>…_reverse</c>, <c>bias_*</c>, <c>weight_hr_*</c>, <c>embedding.weight</c>, or a bare
/// <c>nn.LSTM</c>'s names without the <c>lstm.</c> prefix) and checks that every shape fits.
/// Tensors outside the LSTM and embedding (a classifier head, say) are ignored.
/// </summary>
public static partial class LstmModelReader
{
    private const string EmbeddingName = "embedding.weight";

    public static LstmModel Read(SafeTensorsFile file)
    {
        string prefix = FindPrefix(file);
        var names = file.Entries.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (!ParameterName().IsMatch(name) && prefix.Length > 0)
            {
                throw new ModelFormatException($"{file.Source}: '{prefix}{name}' is not an nn.LSTM parameter name");
            }
        }

        int numLayers = 0;
        while (names.Contains($"weight_ih_l{numLayers}"))
        {
            numLayers++;
        }

        var first = file.Entry($"{prefix}weight_hh_l0");
        Require(file, first, 2, "[4·hidden_size, H_out]");
        if (first.Shape[0] % 4 != 0 || first.Shape[0] == 0)
        {
            throw new ModelFormatException(
                $"{file.Source}: '{first.Name}' has shape {first.ShapeText}; its first dimension must be 4·hidden_size (a positive multiple of 4)");
        }

        int hidden = first.Shape[0] / 4;
        bool bidirectional = names.Contains("weight_ih_l0_reverse");
        bool hasBias = names.Contains("bias_ih_l0");
        int proj = names.Contains("weight_hr_l0") ? file.Entry($"{prefix}weight_hr_l0").Shape[0] : 0;
        var input = file.Entry($"{prefix}weight_ih_l0");
        Require(file, input, 2, "[4·hidden_size, input_size]");

        int vocab = 0;
        Tensor<float>? embedding = null;
        if (file.Contains(EmbeddingName))
        {
            var entry = file.Entry(EmbeddingName);
            if (entry.Shape.Length != 2 || entry.Shape[1] != input.Shape[1])
            {
                throw new ModelFormatException(
                    $"{file.Source}: '{EmbeddingName}' has shape {entry.ShapeText} but '{input.Name}' {input.ShapeText} " +
                    $"needs an embedding of shape [V, {input.Shape[1]}]");
            }

            vocab = entry.Shape[0];
            embedding = file.ReadFloat32(EmbeddingName);
        }

        var config = new LstmConfig(numLayers, input.Shape[1], hidden, proj, bidirectional, hasBias, vocab);
        if (proj >= hidden)
        {
            throw new ModelFormatException(
                $"{file.Source}: '{prefix}weight_hr_l0' gives proj_size {proj}, which must be smaller than hidden_size {hidden}");
        }

        var layers = new List<LstmLayerWeights>();
        for (int layer = 0; layer < numLayers; layer++)
        {
            for (int direction = 0; direction < config.NumDirections; direction++)
            {
                layers.Add(ReadLayer(file, prefix, config, layer, direction));
            }
        }

        CheckNoStrayLayers(file, prefix, names, config);
        return new LstmModel(config, layers.ToArray(), embedding, file.Sha256);
    }

    private static string FindPrefix(SafeTensorsFile file)
    {
        if (file.Contains("lstm.weight_ih_l0"))
        {
            return "lstm.";
        }

        if (file.Contains("weight_ih_l0"))
        {
            return "";
        }

        string found = file.Entries.Count == 0 ? "none" : string.Join(", ", file.Entries.Keys.Order().Take(8));
        throw new ModelFormatException(
            $"{file.Source}: no LSTM weights found: expected 'lstm.weight_ih_l0' (or a bare nn.LSTM's 'weight_ih_l0'); tensors found: {found}");
    }

    private static LstmLayerWeights ReadLayer(SafeTensorsFile file, string prefix, LstmConfig config, int layer, int direction)
    {
        string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
        string context = $"layer {layer}{(direction == 1 ? " (reverse)" : "")} of {config}";
        int gates = 4 * config.HiddenSize;
        float[] Get(string name, params int[] shape)
        {
            string full = $"{prefix}{name}{suffix}";
            if (!file.Contains(full))
            {
                throw new ModelFormatException($"{file.Source}: '{full}' is missing; {context} needs it with shape [{string.Join(", ", shape)}]");
            }

            var entry = file.Entry(full);
            if (!entry.Shape.SequenceEqual(shape))
            {
                throw new ModelFormatException(
                    $"{file.Source}: '{full}' has shape {entry.ShapeText} but {context} needs [{string.Join(", ", shape)}]");
            }

            return file.ReadFloat32(full).Data;
        }

        return new LstmLayerWeights(
            Get("weight_ih", gates, config.LayerInputSize(layer)),
            Get("weight_hh", gates, config.OutputSize),
            config.HasBias ? Get("bias_ih", gates) : null,
            config.HasBias ? Get("bias_hh", gates) : null,
            config.ProjSize > 0 ? Get("weight_hr", config.ProjSize, config.HiddenSize) : null);
    }

    private static void CheckNoStrayLayers(SafeTensorsFile file, string prefix, HashSet<string> names, LstmConfig config)
    {
        foreach (string name in names)
        {
            var match = ParameterName().Match(name);
            if (!match.Success)
            {
                continue;
            }

            int layer = int.Parse(match.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture);
            bool reverse = match.Groups["reverse"].Success;
            bool bias = match.Groups["kind"].Value.StartsWith("bias", StringComparison.Ordinal);
            bool projection = match.Groups["kind"].Value == "weight_hr";
            if (layer >= config.NumLayers || (reverse && !config.Bidirectional) || (bias && !config.HasBias) ||
                (projection && config.ProjSize == 0))
            {
                throw new ModelFormatException(
                    $"{file.Source}: '{prefix}{name}' does not fit {config} inferred from the layer-0 tensors " +
                    "(check that every layer has the same options and no layer is missing)");
            }
        }
    }

    private static void Require(SafeTensorsFile file, SafeTensorsEntry entry, int rank, string expected)
    {
        if (entry.Shape.Length != rank)
        {
            throw new ModelFormatException($"{file.Source}: '{entry.Name}' has shape {entry.ShapeText}; expected {expected}");
        }
    }

    [GeneratedRegex(@"^(?<kind>weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(?<layer>\d+)(?<reverse>_reverse)?$")]
    private static partial Regex ParameterName();
}
