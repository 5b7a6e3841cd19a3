using LstmWorkers.Data.Input;

namespace LstmWorkers.Data.Output;

/// <summary>
/// The columns of an encoding file (contract §3, §7), in this order: the id column, <c>length</c> (int32), then
/// <c>output</c>, <c>h_n</c>, <c>c_n</c>, <c>pooled_mean</c>, <c>pooled_max</c> as <c>list&lt;float&gt;</c> with REQUIRED
/// elements, each only when its row size is given. Every row's list holds exactly the row size in floats (empty lists
/// when it is 0: <c>output</c> with T = 0), except a <see cref="OutputLayout.Ragged"/> <c>output</c>, whose row holds
/// length × <see cref="OutputRowSize"/> floats (an empty list for length 0).
/// </summary>
/// <param name="IdColumn">The id column's name (the input's; <c>"id"</c> when the input had none).</param>
/// <param name="IdKind">The id type; <see cref="Input.IdKind.RowNumber"/> is written as int64.</param>
/// <param name="IdNullable">Write the id column OPTIONAL (else REQUIRED, and null ids are refused).</param>
/// <param name="OutputRowSize">Floats per row of <c>output</c>: T × D·H_out, row-major [T, D·H_out] (per step, D·H_out, when
/// <see cref="OutputLayout"/> is ragged); null = column not written.</param>
/// <param name="HnRowSize">Floats per row of <c>h_n</c>: L·D × H_out; null = not written.</param>
/// <param name="CnRowSize">Floats per row of <c>c_n</c>: L·D × H; null = not written.</param>
/// <param name="Metadata">File key-value metadata (e.g. <c>lstmw.total_length</c>).</param>
public sealed record OutputSchema(
    string IdColumn,
    IdKind IdKind,
    bool IdNullable,
    int? OutputRowSize,
    int? HnRowSize,
    int? CnRowSize,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Padded (the row size is per row) or ragged (per step) <c>output</c>.</summary>
    public OutputLayout OutputLayout { get; init; }

    /// <summary>Floats per row of <c>pooled_mean</c>: D·H_out; null = not written.</summary>
    public int? PooledMeanRowSize { get; init; }

    /// <summary>Floats per row of <c>pooled_max</c>: D·H_out; null = not written.</summary>
    public int? PooledMaxRowSize { get; init; }

    /// <summary>Name of the int32 column holding each row's sequence length.</summary>
    public const string LengthColumn = "length";

    /// <summary>Name of the padded per-step output column.</summary>
    public const string OutputColumn = "output";

    /// <summary>Name of the final hidden state column.</summary>
    public const string HnColumn = "h_n";

    /// <summary>Name of the final cell state column.</summary>
    public const string CnColumn = "c_n";

    /// <summary>Name of the column holding each row's mean of <c>output</c> over its steps.</summary>
    public const string PooledMeanColumn = "pooled_mean";

    /// <summary>Name of the column holding each row's maximum of <c>output</c> over its steps.</summary>
    public const string PooledMaxColumn = "pooled_max";
}
