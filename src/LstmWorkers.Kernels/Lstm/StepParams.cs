namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// One recurrent step of one layer, both directions, as a kernel argument. Direction d works on
/// the packed rows [RowBase_d, RowBase_d + Rows_d) (time t = s forward, t = T−1−s reverse);
/// sequence b reads its previous h from packed row PrevBase_d + b when b &lt; PrevRows_d (the
/// previous step of the same direction), else from the initial state h0[d, b] (its first step).
/// Sizes: H = <see cref="Hidden"/>, H_out = <see cref="OutputSize"/>, B = <see cref="BatchSize"/>.
/// </summary>
public readonly struct StepParams
{
    public readonly int Hidden;
    public readonly int OutputSize;
    public readonly int BatchSize;
    public readonly int Directions;
    public readonly int Projected;
    public readonly int RowBase0;
    public readonly int Rows0;
    public readonly int PrevBase0;
    public readonly int PrevRows0;
    public readonly int RowBase1;
    public readonly int Rows1;
    public readonly int PrevBase1;
    public readonly int PrevRows1;

    public StepParams(int hidden, int outputSize, int batchSize, int directions, bool projected, int[] batchSizes, int[] stepOffsets, int step)
    {
        Hidden = hidden;
        OutputSize = outputSize;
        BatchSize = batchSize;
        Directions = directions;
        Projected = projected ? 1 : 0;
        int steps = batchSizes.Length;
        int forward = step, reverse = steps - 1 - step;
        RowBase0 = stepOffsets[forward];
        Rows0 = batchSizes[forward];
        PrevBase0 = forward > 0 ? stepOffsets[forward - 1] : 0;
        PrevRows0 = forward > 0 ? batchSizes[forward - 1] : 0;
        RowBase1 = directions > 1 ? stepOffsets[reverse] : 0;
        Rows1 = directions > 1 ? batchSizes[reverse] : 0;
        PrevBase1 = directions > 1 && reverse + 1 < steps ? stepOffsets[reverse + 1] : 0;
        PrevRows1 = directions > 1 && reverse + 1 < steps ? batchSizes[reverse + 1] : 0;
    }

    /// <summary>D·4H: the width of a row of G.</summary>
    public int GateWidth => Directions * 4 * Hidden;

    /// <summary>D·H_out: the width of a row of the layer output Y.</summary>
    public int OutputWidth => Directions * OutputSize;

    /// <summary>The most rows either direction updates in this step (the launch's extent).</summary>
    public int MaxRows => Math.Max(Rows0, Rows1);

    public int RowBase(int direction) => direction == 0 ? RowBase0 : RowBase1;

    public int Rows(int direction) => direction == 0 ? Rows0 : Rows1;

    /// <summary>The packed row holding sequence b's previous h in <paramref name="direction"/>, or −1 for h0.</summary>
    public int PreviousRow(int direction, int b) => direction == 0
        ? (b < PrevRows0 ? PrevBase0 + b : -1)
        : (b < PrevRows1 ? PrevBase1 + b : -1);
}
