using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Models;

/// <summary>
/// An LSTM encoder loaded from a safetensors state_dict: the inferred <see cref="Config"/>, the
/// weights of every layer and direction, and the optional embedding table [V, E].
/// Immutable after load, so one instance can be shared by any number of threads.
/// </summary>
public sealed class LstmModel
{
    private readonly LstmLayerWeights[] _layers;

    public LstmModel(LstmConfig config, LstmLayerWeights[] layers, Tensor<float>? embedding, string sha256)
    {
        if (layers.Length != config.NumLayers * config.NumDirections)
        {
            throw new ArgumentException($"expected {config.NumLayers * config.NumDirections} layer weights, got {layers.Length}");
        }

        Config = config;
        _layers = layers;
        Embedding = embedding;
        Sha256 = sha256;
    }

    public LstmConfig Config { get; }

    /// <summary>embedding.weight [V, E], or null when inputs are features.</summary>
    public Tensor<float>? Embedding { get; }

    /// <summary>Lower-case hex SHA-256 of the model file: its identity across processes.</summary>
    public string Sha256 { get; }

    /// <summary>The weights of <paramref name="layer"/> in <paramref name="direction"/> (0 forward, 1 reverse).</summary>
    public LstmLayerWeights Weights(int layer, int direction) => _layers[layer * Config.NumDirections + direction];

    public static LstmModel Load(string path) => LstmModelReader.Read(SafeTensorsFile.Load(path));
}
