using ILGPU;
using ILGPU.Runtime;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Kernels.Runners;

/// <summary>
/// One layer's weights on the device, both directions side by side so one launch serves both:
/// W_ih [D·4H, I_k], bias [D·4H] = b_ih + b_hh (zeros without bias), W_hh [D, 4H, H_out],
/// W_hr [D, P, H] (one unused float without proj_size). Uploaded once, at model load.
/// </summary>
internal sealed class DeviceLayer : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _inputWeights, _bias, _hiddenWeights, _projectionWeights;

    public DeviceLayer(Accelerator accelerator, LstmModel model, int layer)
    {
        var config = model.Config;
        var directions = Enumerable.Range(0, config.NumDirections).Select(d => model.Weights(layer, d)).ToArray();
        int gateRows = 4 * config.HiddenSize;
        _inputWeights = Upload(accelerator, directions.SelectMany(w => w.InputWeights).ToArray());
        _bias = Upload(accelerator, directions.SelectMany(w => w.InputBias is { } bi && w.HiddenBias is { } bh
            ? bi.Zip(bh, (a, b) => a + b)
            : Enumerable.Repeat(0f, gateRows)).ToArray());
        _hiddenWeights = Upload(accelerator, directions.SelectMany(w => w.HiddenWeights).ToArray());
        _projectionWeights = Upload(accelerator, config.ProjSize > 0 ? directions.SelectMany(w => w.ProjectionWeights!).ToArray() : [0f]);
        InputSize = config.LayerInputSize(layer);
    }

    /// <summary>I_k: the depth of this layer's input projection.</summary>
    public int InputSize { get; }

    public ArrayView<float> InputWeights => _inputWeights.View;

    public ArrayView<float> Bias => _bias.View;

    public ArrayView<float> HiddenWeights => _hiddenWeights.View;

    public ArrayView<float> ProjectionWeights => _projectionWeights.View;

    /// <summary>Bytes this layer holds on the device.</summary>
    public long Bytes => 4 * (_inputWeights.Length + _bias.Length + _hiddenWeights.Length + _projectionWeights.Length);

    public void Dispose()
    {
        _inputWeights.Dispose();
        _bias.Dispose();
        _hiddenWeights.Dispose();
        _projectionWeights.Dispose();
    }

    internal static MemoryBuffer1D<float, Stride1D.Dense> Upload(Accelerator accelerator, float[] values)
    {
        var buffer = accelerator.Allocate1D<float>(Math.Max(1, values.Length));
        if (values.Length > 0)
        {
            ((ArrayView<float>)buffer.View).SubView(0, values.Length).CopyFromCPU(values);
        }

        return buffer;
    }
}
