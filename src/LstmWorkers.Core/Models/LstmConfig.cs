namespace LstmWorkers.Core.Models;

/// <summary>
/// The shape of an <c>nn.LSTM</c> (plus an optional embedding in front of it), as inferred from a
/// state_dict. Names follow PyTorch: H = <see cref="HiddenSize"/>, P = <see cref="ProjSize"/>,
/// H_out = <see cref="OutputSize"/> (P when P &gt; 0, else H), D = <see cref="NumDirections"/>.
/// </summary>
public sealed record LstmConfig(
    int NumLayers,
    int InputSize,
    int HiddenSize,
    int ProjSize,
    bool Bidirectional,
    bool HasBias,
    int VocabSize)
{
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>H_out: the size of h (P with a projection, else H).</summary>
    public int OutputSize => ProjSize > 0 ? ProjSize : HiddenSize;

    /// <summary>True when inputs are token ids looked up in an embedding of <see cref="VocabSize"/> rows.</summary>
    public bool HasEmbedding => VocabSize > 0;

    /// <summary>I_k: the input width of layer k (the features or embedding for k = 0, D·H_out after).</summary>
    public int LayerInputSize(int layer) => layer == 0 ? InputSize : NumDirections * OutputSize;

    /// <summary>Multiply-adds per token for all layers and directions (2 FLOP each).</summary>
    public long MultiplyAddsPerToken()
    {
        long total = 0;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            long perDirection = 4L * HiddenSize * (LayerInputSize(layer) + OutputSize) + (long)ProjSize * HiddenSize;
            total += NumDirections * perDirection;
        }

        return total;
    }

    public override string ToString() =>
        $"LSTM(input {InputSize}, hidden {HiddenSize}, layers {NumLayers}" +
        (Bidirectional ? ", bidirectional" : "") + (ProjSize > 0 ? $", proj {ProjSize}" : "") +
        (HasBias ? "" : ", no bias") + (HasEmbedding ? $", embedding {VocabSize}×{InputSize}" : "") + ")";
}
