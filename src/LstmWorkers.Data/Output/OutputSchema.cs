using LstmWorkers.Data.Input;

namespace LstmWorkers.Data.Output;

/// <summary>
/// The columns of an encoding file (contract §3), in this order: the id column, <c>length</c> (int32), then
/// <c>output</c>, <c>h_n</c>, <c>c_n</c> as <c>list&lt;float&gt;</c> with REQUIRED elements, each only when its row size is
/// given. Every row's list holds exactly the row size in floats (empty lists when it is 0: <c>output</c> with T = 0).
/// </summary>
/// <param name="IdColumn">The id column's name (the input's; <c>"id"</c> when the input had none).</param>
/// <param name="IdKind">The id type; <see cref="Input.IdKind.RowNumber"/> is written as int64.</param>
/// <param name="IdNullable">Write the id column OPTIONAL (else REQUIRED, and null ids are refused).</param>
/// <param name="OutputRowSize">Floats per row of <c>output</c>: T × D·H_out, row-major [T, D·H_out]; null = column not written.</param>
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
    /// <summary>Name of the int32 column holding each row's sequence length.</summary>
    public const string LengthColumn = "length";

    /// <summary>Name of the padded per-step output column.</summary>
    public const string OutputColumn = "output";

    /// <summary>Name of the final hidden state column.</summary>
    public const string HnColumn = "h_n";

    /// <summary>Name of the final cell state column.</summary>
    public const string CnColumn = "c_n";
}
