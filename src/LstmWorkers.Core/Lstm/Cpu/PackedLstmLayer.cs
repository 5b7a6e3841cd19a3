using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// One layer and direction's weights, packed once per model for the micro-kernels of a vector
/// width of <c>lanes</c> floats (8 or 16).
/// <para>
/// Hidden units are padded to Hp = a multiple of <c>lanes</c> (padding units have zero weights and
/// biases, so their c and h stay 0). The 4·Hp gate columns are laid out by unit group:
/// column (u / lanes)·4·lanes + gate·lanes + u % lanes holds gate ∈ {i, f, g, o} of unit u, so a
/// group's four gates sit side by side and the fused cell reads them as four vectors.
/// </para>
/// <list type="bullet">
/// <item><see cref="InputPanels"/>: W_ih as [4Hp / 2·lanes][K_in][2·lanes] GEMM panels. For layers
/// above the first, K_in = D·H_out,p: the previous layer's padded output, pad rows zero.</item>
/// <item><see cref="Bias"/>: b_ih + b_hh (summed in float), [4Hp] in the gate layout; zeros without bias.</item>
/// <item><see cref="HiddenPanels"/>: W_hh as [4Hp / 2·lanes][H_out][2·lanes] GEMM panels.</item>
/// <item><see cref="ProjectionPanels"/>: W_hr as [H_out,p / 2·lanes][H][2·lanes] GEMM panels (proj_size only).</item>
/// </list>
/// </summary>
internal sealed class PackedLstmLayer
{
    public PackedLstmLayer(LstmConfig config, LstmLayerWeights weights, int layer, int lanes)
    {
        Lanes = lanes;
        Hidden = config.HiddenSize;
        HiddenPadded = RoundUp(Hidden, lanes);
        OutputSize = config.OutputSize;
        OutputPadded = PaddedOutputSize(config, lanes);
        InputSize = layer == 0 ? config.InputSize : config.NumDirections * OutputPadded;
        int gateColumns = 4 * HiddenPadded;

        Bias = new AlignedFloats(gateColumns);
        if (weights.InputBias is { } inputBias && weights.HiddenBias is { } hiddenBias)
        {
            for (int column = 0; column < gateColumns; column++)
            {
                if (GateRow(column) is int row)
                {
                    Bias.Span[column] = inputBias[row] + hiddenBias[row];
                }
            }
        }

        int realInput = config.LayerInputSize(layer);
        InputPanels = PackPanels(gateColumns, InputSize, 2 * lanes, GateRow, k =>
        {
            if (layer == 0)
            {
                return k;
            }

            int direction = k / OutputPadded, unit = k % OutputPadded;
            return unit < OutputSize ? direction * OutputSize + unit : null;
        }, weights.InputWeights, realInput);
        HiddenPanels = PackPanels(gateColumns, OutputSize, 2 * lanes, GateRow, k => k, weights.HiddenWeights, OutputSize);
        if (weights.ProjectionWeights is { } projection)
        {
            ProjectionPanels = PackPanels(OutputPadded, Hidden, 2 * lanes, column => column < OutputSize ? column : null, k => k,
                projection, Hidden);
            ProjectionBias = new AlignedFloats(OutputPadded);
        }
    }

    public int Lanes { get; }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>Hp: H rounded up to the vector width.</summary>
    public int HiddenPadded { get; }

    /// <summary>H_out.</summary>
    public int OutputSize { get; }

    /// <summary>H_out,p: the row stride of h buffers and of each direction's half of a layer output.</summary>
    public int OutputPadded { get; }

    /// <summary>K_in: the packed input width.</summary>
    public int InputSize { get; }

    /// <summary>Unit groups: Hp / lanes.</summary>
    public int Groups => HiddenPadded / Lanes;

    /// <summary>GEMM panels across the 4Hp gate columns.</summary>
    public int InputPanelCount => 4 * HiddenPadded / (2 * Lanes);

    public AlignedFloats InputPanels { get; }

    public AlignedFloats Bias { get; }

    public AlignedFloats HiddenPanels { get; }

    public AlignedFloats? ProjectionPanels { get; }

    /// <summary>Zeros: the "bias" of the projection GEMM.</summary>
    public AlignedFloats? ProjectionBias { get; }

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>H_out,p: with proj_size a multiple of the GEMM panel width (2·lanes), else of lanes.</summary>
    public static int PaddedOutputSize(LstmConfig config, int lanes) =>
        config.ProjSize > 0 ? RoundUp(config.ProjSize, 2 * lanes) : RoundUp(config.HiddenSize, lanes);

    /// <summary>The PyTorch row (gate·H + unit) of a gate-layout column, or null for a padding unit.</summary>
    private int? GateRow(int column)
    {
        int group = column / (4 * Lanes), within = column % (4 * Lanes);
        int gate = within / Lanes, unit = group * Lanes + within % Lanes;
        return unit < Hidden ? gate * Hidden + unit : null;
    }

    /// <summary>
    /// Packs W ([rows, stride] row-major, PyTorch's [out, in]) as panels [columns / width][K][width]:
    /// panel p, step k, lane j holds W[row(p·width + j), source(k)], or 0 where either is null.
    /// </summary>
    private static AlignedFloats PackPanels(int columns, int k, int width, Func<int, int?> row, Func<int, int?> source, float[] w, int stride)
    {
        var packed = new AlignedFloats((long)columns * k);
        var span = packed.Span;
        for (int column = 0; column < columns; column++)
        {
            if (row(column) is not int r)
            {
                continue;
            }

            int panel = column / width, lane = column % width;
            for (int kk = 0; kk < k; kk++)
            {
                if (source(kk) is int s)
                {
                    span[(panel * k + kk) * width + lane] = w[r * stride + s];
                }
            }
        }

        return packed;
    }
}
