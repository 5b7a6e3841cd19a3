namespace LstmWorkers.Core.Lstm.Cpu;

public sealed unsafe partial class CpuLstmRunner
{
    public LstmBatchResult Run(LstmBatch batch, CancellationToken cancellationToken)
    {
        var config = Model.Config;
        int layers = config.NumLayers, directions = config.NumDirections, batchSize = batch.BatchSize;
        int hidden = config.HiddenSize, outputSize = config.OutputSize, paddedOutput = _layers[0].OutputPadded;
        int[] offsets = batch.Validate(config);
        int steps = offsets[^1], width = directions * paddedOutput;
        var hn = new float[layers * directions * batchSize * outputSize];
        var cn = new float[layers * directions * batchSize * hidden];
        float[]? output = batch.KeepsOutput ? new float[steps * directions * outputSize] : null;
        bool direct = paddedOutput == outputSize;
        int buffers = Math.Min(2, layers - 1) + (output is not null && !direct ? 1 : 0);

        var scratch = new PinnedScratch(PinnedScratch.Size([.. Enumerable.Repeat((long)steps * width, buffers)]));
        _cores.Enter();
        try
        {
            fixed (float* hnPointer = hn, cnPointer = cn, outputPointer = output, features = batch.Features)
            fixed (int* tokens = batch.Features is null ? batch.Tokens : null)
            {
                float* previous = null, spare = null;
                var args = new LayerArgs
                {
                    Input = features,
                    InputStride = config.InputSize,
                    Tokens = tokens,
                    BatchSizes = batch.BatchSizes,
                    Offsets = offsets,
                    BatchSize = batchSize,
                    Initial = batch.Initial,
                    HiddenState = hnPointer,
                    CellState = cnPointer,
                    CancellationToken = cancellationToken,
                };
                for (int layer = 0; layer < layers; layer++)
                {
                    bool last = layer == layers - 1;
                    float* layerOutput = last
                        ? output is null ? null : direct ? outputPointer : scratch.Take((long)steps * width)
                        : spare != null ? spare : scratch.Take((long)steps * width);
                    args.Layer = layer;
                    args.Output = layerOutput;
                    args.OutputStride = width;
                    RunLayer(ref args, directions);
                    spare = previous;
                    previous = layerOutput;
                    args.Input = layerOutput;
                    args.InputStride = width;
                    args.Tokens = null;
                }

                if (output is not null && !direct)
                {
                    for (int n = 0; n < steps; n++)
                    {
                        for (int d = 0; d < directions; d++)
                        {
                            new ReadOnlySpan<float>(previous + (long)n * width + d * paddedOutput, outputSize)
                                .CopyTo(output.AsSpan((n * directions + d) * outputSize, outputSize));
                        }
                    }
                }
            }
        }
        finally
        {
            scratch.Dispose();
            _cores.Exit();
        }

        var (mean, max) = OutputPooling.Pool(output, batch.BatchSizes, offsets, batchSize, directions * outputSize, batch.Pooling);
        return new LstmBatchResult(batch.NeedOutput ? output : null, hn, cn) { PooledMean = mean, PooledMax = max };
    }

    /// <summary>Both directions of one layer: the reverse one on a helper thread when an idle core can be had.</summary>
    private void RunLayer(ref LayerArgs args, int directions)
    {
        if (directions == 2 && _options.MaxThreadsPerRun >= 2 && _cores.TryTakeExtra())
        {
            var helper = new DirectionJob(this, args, 1);
            try
            {
                ThreadPool.UnsafeQueueUserWorkItem(helper, preferLocal: false);
                RunDirection(args, 0);
            }
            finally
            {
                helper.RunOrWait();
                _cores.Exit();
            }

            helper.ThrowIfFailed();
            return;
        }

        for (int direction = 0; direction < directions; direction++)
        {
            RunDirection(args, direction);
        }
    }

    /// <summary>The pointers and arrays one layer's directions share; each direction writes only its half of the output.</summary>
    private struct LayerArgs
    {
        public int Layer;

        /// <summary>[N, InputStride]: features, or the previous layer's output; null for tokens.</summary>
        public float* Input;
        public int InputStride;
        public int* Tokens;

        /// <summary>[N, OutputStride] (direction d at column d·H_out,p), or null when not wanted.</summary>
        public float* Output;
        public int OutputStride;
        public int[] BatchSizes;
        public int[] Offsets;
        public int BatchSize;
        public LstmState? Initial;

        /// <summary>h_n [L·D, B, H_out] and c_n [L·D, B, H] of the result.</summary>
        public float* HiddenState;
        public float* CellState;
        public CancellationToken CancellationToken;
    }

    /// <summary>A direction queued to the thread pool; whichever of the pool and the caller claims it first runs it.</summary>
    private sealed class DirectionJob(CpuLstmRunner runner, LayerArgs args, int direction) : IThreadPoolWorkItem
    {
        private readonly ManualResetEventSlim _done = new();
        private int _claimed;
        private Exception? _error;

        public void Execute()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            try
            {
                runner.RunDirection(args, direction);
            }
            catch (Exception e)
            {
                _error = e;
            }
            finally
            {
                _done.Set();
            }
        }

        /// <summary>Runs the direction here unless the pool has claimed it, then waits until it is done. (The event is
        /// not disposed: the pool thread may still be inside Set, and without a wait handle it holds nothing to free.)</summary>
        public void RunOrWait()
        {
            Execute();
            _done.Wait();
        }

        public void ThrowIfFailed()
        {
            if (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
            }
        }
    }

    private static void CopyRows(float* source, float* destination, int stride, int first, int last, int width)
    {
        for (int b = first; b < last; b++)
        {
            new ReadOnlySpan<float>(source + (long)b * stride, width).CopyTo(new Span<float>(destination + (long)b * stride, width));
        }
    }

    private static Span<float> Row(float* buffer, int stride, int row, int width) => new(buffer + (long)row * stride, width);
}
