using System.Runtime.Intrinsics.X86;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The fast CPU LSTM (<c>--device cpu</c>). Per layer and direction, time steps are taken in
/// chunks of about <see cref="CpuLstmOptions.ChunkRows"/> packed rows:
/// <list type="number">
/// <item>the chunk's input projection as one GEMM, X·W_ihᵀ + (b_ih + b_hh), with weight panels
/// packed once per model (<see cref="PackedLstmLayer"/>) and a 6-row register-tiled FMA
/// micro-kernel two vectors wide; for token inputs the first layer's projection is instead a
/// per-model table [V, 4H] (embedding·W_ih0ᵀ + biases) when it fits
/// <see cref="CpuLstmOptions.InputTableBudgetBytes"/>, and each step starts from its rows;</item>
/// <item>the recurrence, one step at a time over the batch_sizes[t] sequences still running:
/// the same micro-kernel adds h·W_hhᵀ to the step's pre-activations in place (gate columns laid
/// out so that the i, f, g, o of 8 or 16 units sit side by side), then a cell pass applies σ/tanh
/// (<see cref="VectorMath"/>), updates c and writes h.</item>
/// </list>
/// <para>
/// Bitwise reproducible: each gate pre-activation is bias, then the input's chain of fused
/// multiply-adds over k, then h's, always in increasing k, whatever the batch, its size, the
/// chunking, the table, the thread count or the vector width; everything after is lane-wise.
/// </para>
/// <para>
/// Thread-safe: the packed weights are read-only; each run rents its scratch from the shared
/// array pool, so steady-state runs allocate only their results. A bidirectional layer's
/// reverse direction runs on a second thread when the backend's <see cref="CoreBudget"/> shows
/// an idle core (at most one task per layer; nothing per step).
/// </para>
/// </summary>
public sealed unsafe partial class CpuLstmRunner : ILstmRunner
{
    private readonly PackedLstmLayer[] _layers;
    private readonly AlignedFloats[]? _tables;
    private readonly CpuLstmOptions _options;
    private readonly CoreBudget _cores;
    private readonly int _lanes;

    public CpuLstmRunner(LstmModel model)
        : this(model, new CpuLstmOptions())
    {
    }

    public CpuLstmRunner(LstmModel model, CpuLstmOptions options)
        : this(model, options, new CoreBudget(options.EffectiveCores))
    {
    }

    internal CpuLstmRunner(LstmModel model, CpuLstmOptions options, CoreBudget cores)
    {
        Model = model;
        _options = options;
        _cores = cores;
        _lanes = ChooseLanes(options.VectorWidth);
        var config = model.Config;
        _layers = new PackedLstmLayer[config.NumLayers * config.NumDirections];
        for (int layer = 0; layer < config.NumLayers; layer++)
        {
            for (int direction = 0; direction < config.NumDirections; direction++)
            {
                _layers[layer * config.NumDirections + direction] = new PackedLstmLayer(config, model.Weights(layer, direction), layer, _lanes);
            }
        }

        if (model.Embedding is { } embedding && TableBytes(config, _lanes) <= options.InputTableBudgetBytes)
        {
            _tables = [.. Enumerable.Range(0, config.NumDirections).Select(d => BuildTable(embedding.Data, _layers[d]))];
        }
    }

    public LstmModel Model { get; }

    /// <summary>True when the first layer's input projection is a precomputed token table.</summary>
    public bool UsesInputTable => _tables is not null;

    /// <summary>Floats per vector in the kernels: 8 (256-bit) or 16 (512-bit).</summary>
    public int VectorLanes => _lanes;

    /// <summary>The bytes a token table takes for <paramref name="config"/>: V · D · 4Hp floats.</summary>
    public static long TableBytes(LstmConfig config, int lanes) =>
        (long)config.VocabSize * config.NumDirections * 4 * PackedLstmLayer.RoundUp(config.HiddenSize, lanes) * sizeof(float);

    public static int ChooseLanes(CpuVectorWidth width) => width switch
    {
        CpuVectorWidth.Bits256 => 8,
        CpuVectorWidth.Bits512 => 16,
        _ => Avx512F.IsSupported ? 16 : 8,
    };

    public void Dispose()
    {
    }

    /// <summary>table[v] = bias + embedding[v]·W_ihᵀ in the gate layout: the same GEMM, so the same bits, as the untabled path.</summary>
    private AlignedFloats BuildTable(float[] embedding, PackedLstmLayer layer)
    {
        int vocab = Model.Config.VocabSize, size = Model.Config.InputSize, columns = 4 * layer.HiddenPadded;
        var table = new AlignedFloats((long)vocab * columns);
        const int block = 512;
        Parallel.For(0, (vocab + block - 1) / block, new ParallelOptions { MaxDegreeOfParallelism = _options.EffectiveCores }, b =>
        {
            int first = b * block, rows = Math.Min(block, vocab - first);
            fixed (float* e = embedding)
            {
                Gemm(rows, layer.InputPanelCount, size, e + (long)first * size, size, layer.InputPanels.Pointer, layer.Bias.Pointer,
                    table.Pointer + (long)first * columns, columns);
            }
        });
        return table;
    }

    private void Gemm(int rows, int panels, int k, float* a, int lda, float* packed, float* bias, float* c, int ldc)
    {
        Kernels.Gemm(_lanes, rows, panels, k, a, lda, packed, bias, c, ldc);
    }

    /// <summary>One recurrent step for <paramref name="rows"/> sequences: gates = init + h·W_hhᵀ into <paramref name="gates"/>, then the cell.</summary>
    private void Step(PackedLstmLayer layer, int rows, float* h, int ldh, float** init, float* gates, float* c, float* hOut, int ldHOut,
        float* output, int ldOut)
    {
        int columns = 4 * layer.HiddenPadded;
        Kernels.GemmRows(_lanes, rows, layer.InputPanelCount, layer.OutputSize, h, ldh, layer.HiddenPanels.Pointer, init, gates, columns);
        Kernels.Cells(_lanes, rows, layer.Groups, gates, columns, c, layer.HiddenPadded, hOut, ldHOut, output, ldOut);
    }
}
