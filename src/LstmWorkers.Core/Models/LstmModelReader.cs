using System.Globalization;
using System.Text.RegularExpressions;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// Infers an <see cref="LstmConfig"/> from state_dict names and shapes (<c>lstm.weight_ih_l{k}</c>,
/// <c>…_reverse</c>, <c>bias_*</c>, <c>weight_hr_*</c>, <c>embedding.weight</c>, or a bare
/// <c>nn.LSTM</c>'s names without the <c>lstm.</c> prefix) and checks that every shape fits.
/// Tensors outside the LSTM and embedding (a classifier head, say) are ignored.
/// <para>
/// The options come from layer 0 (each rank checked before a dimension is read: hidden_size from
/// <c>weight_hh_l0</c> [4H, H_out], input_size from <c>weight_ih_l0</c> [4H, I_0], proj_size from
/// <c>weight_hr_l0</c> [P, H] with 0 &lt; P &lt; H as PyTorch requires); then every layer 0..L−1, in
/// each direction, must hold exactly the tensors those options need, with exactly the shapes they need,
/// and nothing else: no layer beyond a missing one, no reverse, bias or projection tensor the options lack.
/// </para>
/// </summary>
public static partial class LstmModelReader
{
    private const string EmbeddingName = "embedding.weight";

    /// <summary>Widths the kernels round up to at most (the CPU kernels' 2·16-float panels).</summary>
    private const int KernelPadding = 32;

    /// <exception cref="ModelFormatException">The tensors do not form an nn.LSTM (and embedding) the runners can hold.</exception>
    public static LstmModel Read(SafeTensorsFile file)
    {
        string prefix = FindPrefix(file);
        var parameters = Parameters(file, prefix);
        var config = InferConfig(file, prefix, parameters);
        CheckSizes(file.Source, prefix, config);
        CheckLayers(file, prefix, parameters, config);

        var layers = new List<LstmLayerWeights>();
        for (int layer = 0; layer < config.NumLayers; layer++)
        {
            for (int direction = 0; direction < config.NumDirections; direction++)
            {
                layers.Add(ReadLayer(file, prefix, config, layer, direction));
            }
        }

        var embedding = config.HasEmbedding ? file.ReadFloat32(EmbeddingName) : null;
        return new LstmModel(config, layers.ToArray(), embedding, file.Sha256);
    }

    /// <summary>
    /// Refuses a configuration whose weights the runners cannot hold: they keep a layer's W_ih [4H, I_k] and
    /// W_hh [4H, H_out] of both directions side by side, with every width rounded up to the kernels' panels, in
    /// int-indexed .NET arrays. (W_hr [P, H] is smaller than W_hh [4H, P]; the embedding is a tensor of the file.)
    /// </summary>
    internal static void CheckSizes(string source, string prefix, LstmConfig config)
    {
        Int128 rows = (Int128)config.NumDirections * 4 * Padded(config.HiddenSize);
        for (int layer = 0; layer < config.NumLayers; layer++)
        {
            CheckSize(source, $"{prefix}weight_ih_l{layer}", [4L * config.HiddenSize, config.LayerInputSize(layer)],
                rows * Padded(config.LayerInputSize(layer)));
            CheckSize(source, $"{prefix}weight_hh_l{layer}", [4L * config.HiddenSize, config.OutputSize], rows * Padded(config.OutputSize));
        }
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

        string found = file.Entries.Count == 0 ? "none" : string.Join(", ", file.Entries.Keys.Order(StringComparer.Ordinal).Take(8).Select(ModelText.Quote));
        throw new ModelFormatException(
            $"{file.Source}: no LSTM weights found: expected 'lstm.weight_ih_l0' (or a bare nn.LSTM's 'weight_ih_l0'); tensors found: {found}");
    }

    /// <summary>The LSTM parameters among the names under <paramref name="prefix"/>; under <c>lstm.</c> nothing else may appear.</summary>
    private static List<Parameter> Parameters(SafeTensorsFile file, string prefix)
    {
        var parameters = new List<Parameter>();
        foreach (string name in file.Entries.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var match = ParameterName().Match(name, prefix.Length);
            if (match.Success)
            {
                parameters.Add(new Parameter(name, match.Groups["kind"].Value,
                    int.Parse(match.Groups["layer"].Value, CultureInfo.InvariantCulture), match.Groups["reverse"].Success));
            }
            else if (prefix.Length > 0)
            {
                throw new ModelFormatException($"{file.Source}: {ModelText.Quote(name)} is not an nn.LSTM parameter name");
            }
        }

        return parameters;
    }

    private static LstmConfig InferConfig(SafeTensorsFile file, string prefix, List<Parameter> parameters)
    {
        int numLayers = 0;
        while (file.Contains($"{prefix}weight_ih_l{numLayers}"))
        {
            numLayers++;
        }

        var hiddenWeights = Matrix(file, $"{prefix}weight_hh_l0", "[4·hidden_size, H_out]");
        int gates = hiddenWeights.Shape[0];
        if (gates % 4 != 0 || gates == 0)
        {
            throw new ModelFormatException(
                $"{file.Source}: '{hiddenWeights.Name}' has shape {hiddenWeights.ShapeText}; its first dimension must be 4·hidden_size (a positive multiple of 4)");
        }

        int hidden = gates / 4;
        var inputWeights = Matrix(file, $"{prefix}weight_ih_l0", "[4·hidden_size, input_size]");
        int input = inputWeights.Shape[1];
        if (input == 0)
        {
            throw new ModelFormatException($"{file.Source}: '{inputWeights.Name}' has shape {inputWeights.ShapeText}; input_size must be at least 1");
        }

        bool bidirectional = parameters.Any(p => p is { Layer: 0, Kind: "weight_ih", Reverse: true });
        bool hasBias = parameters.Any(p => p is { Layer: 0, Kind: "bias_ih", Reverse: false });
        int proj = ProjSize(file, prefix, parameters, hidden);
        return new LstmConfig(numLayers, input, hidden, proj, bidirectional, hasBias, VocabSize(file, inputWeights));
    }

    private static int ProjSize(SafeTensorsFile file, string prefix, List<Parameter> parameters, int hidden)
    {
        if (!parameters.Any(p => p is { Layer: 0, Kind: "weight_hr", Reverse: false }))
        {
            return 0;
        }

        var projection = Matrix(file, $"{prefix}weight_hr_l0", "[proj_size, hidden_size]");
        int proj = projection.Shape[0];
        string? problem = proj == 0 ? "at least 1" : proj >= hidden ? $"smaller than hidden_size {hidden}" : null;
        return problem is null
            ? proj
            : throw new ModelFormatException($"{file.Source}: '{projection.Name}' gives proj_size {proj}, which must be {problem}");
    }

    /// <summary>V of <c>embedding.weight</c> [V, E] with V ≥ 1 and E = input_size, or 0 without an embedding.</summary>
    private static int VocabSize(SafeTensorsFile file, SafeTensorsEntry inputWeights)
    {
        if (!file.Contains(EmbeddingName))
        {
            return 0;
        }

        var entry = file.Entry(EmbeddingName);
        if (entry.Shape.Length != 2 || entry.Shape[1] != inputWeights.Shape[1])
        {
            throw new ModelFormatException(
                $"{file.Source}: '{EmbeddingName}' has shape {entry.ShapeText} but '{inputWeights.Name}' {inputWeights.ShapeText} " +
                $"needs an embedding of shape [V, {inputWeights.Shape[1]}]");
        }

        return entry.Shape[0] > 0
            ? entry.Shape[0]
            : throw new ModelFormatException($"{file.Source}: '{EmbeddingName}' has shape {entry.ShapeText}; an embedding needs at least one row");
    }

    /// <summary>Every parameter must belong to a layer 0..L−1 and to the options inferred from layer 0.</summary>
    private static void CheckLayers(SafeTensorsFile file, string prefix, List<Parameter> parameters, LstmConfig config)
    {
        if (parameters.Where(p => p.Layer >= config.NumLayers).OrderBy(p => p.Layer).FirstOrDefault() is { } beyond)
        {
            throw new ModelFormatException(
                $"{file.Source}: '{beyond.Name}' is for layer {beyond.Layer} but '{prefix}weight_ih_l{config.NumLayers}' is missing " +
                "(layers are numbered 0, 1, … without gaps)");
        }

        foreach (var parameter in parameters)
        {
            bool bias = parameter.Kind.StartsWith("bias", StringComparison.Ordinal);
            if ((parameter.Reverse && !config.Bidirectional) || (bias && !config.HasBias) || (parameter.Kind == "weight_hr" && config.ProjSize == 0))
            {
                throw new ModelFormatException(
                    $"{file.Source}: '{parameter.Name}' does not fit {config} inferred from the layer-0 tensors " +
                    "(check that every layer has the same options)");
            }
        }
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

    /// <summary>The entry <paramref name="name"/>, which must have rank 2.</summary>
    private static SafeTensorsEntry Matrix(SafeTensorsFile file, string name, string expected)
    {
        var entry = file.Entry(name);
        return entry.Shape.Length == 2
            ? entry
            : throw new ModelFormatException($"{file.Source}: '{entry.Name}' has shape {entry.ShapeText}; expected {expected}");
    }

    private static long Padded(int width) => (width + (long)KernelPadding - 1) / KernelPadding * KernelPadding;

    private static void CheckSize(string source, string name, long[] shape, Int128 elements)
    {
        if (elements > Array.MaxLength)
        {
            throw new ModelFormatException(
                $"{source}: '{name}' [{string.Join(", ", shape)}] needs {elements} floats once laid out for the kernels (both directions, " +
                $"widths rounded up to {KernelPadding}), over the limit of {Array.MaxLength} (the longest .NET array)");
        }
    }

    /// <summary>One LSTM parameter: its full name, kind (weight_ih, weight_hh, bias_ih, bias_hh, weight_hr), layer and direction.</summary>
    private sealed record Parameter(string Name, string Kind, int Layer, bool Reverse);

    /// <summary>A layer number without leading zeros and of at most 9 digits, so it always parses as an int.</summary>
    [GeneratedRegex(@"\G(?<kind>weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(?<layer>0|[1-9][0-9]{0,8})(?<reverse>_reverse)?\z")]
    private static partial Regex ParameterName();
}
