namespace LstmWorkers.Core.Models;

/// <summary>
/// The weights of one layer and direction, row-major, gate rows in PyTorch's order (i, f, g, o).
/// </summary>
/// <param name="InputWeights">W_ih: [4H, I_k].</param>
/// <param name="HiddenWeights">W_hh: [4H, H_out].</param>
/// <param name="InputBias">b_ih: [4H], or null when the LSTM has no bias.</param>
/// <param name="HiddenBias">b_hh: [4H], or null when the LSTM has no bias.</param>
/// <param name="ProjectionWeights">W_hr: [P, H], or null without proj_size.</param>
public sealed record LstmLayerWeights(
    float[] InputWeights,
    float[] HiddenWeights,
    float[]? InputBias,
    float[]? HiddenBias,
    float[]? ProjectionWeights);
