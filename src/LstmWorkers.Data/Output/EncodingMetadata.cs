namespace LstmWorkers.Data.Output;

/// <summary>
/// The names of an encoding file's key-value metadata (contract §3) and the format version it records: the one place
/// that spells them, for writers and readers alike. Values are decimal strings (<see cref="PaddingValue"/> a float in
/// round-trip form, <see cref="ModelSha256"/> hex).
/// </summary>
public static class EncodingMetadata
{
    /// <summary>The version of the output format, the value of <see cref="Version"/>.</summary>
    public const string FormatVersion = "1.0.0";

    /// <summary>What every key starts with.</summary>
    public const string Prefix = "lstmw.";

    /// <summary>T: the steps of every row's padded <c>output</c> (--total-length, else the longest row).</summary>
    public const string TotalLength = "lstmw.total_length";

    /// <summary>D: 2 for a bidirectional LSTM, else 1.</summary>
    public const string NumDirections = "lstmw.num_directions";

    /// <summary>L.</summary>
    public const string NumLayers = "lstmw.num_layers";

    /// <summary>H.</summary>
    public const string HiddenSize = "lstmw.hidden_size";

    /// <summary>H_out: the projection size when there is one, else H.</summary>
    public const string OutputSize = "lstmw.output_size";

    /// <summary>P (0 without a projection).</summary>
    public const string ProjSize = "lstmw.proj_size";

    /// <summary>The value of <c>output</c> at steps t ≥ length.</summary>
    public const string PaddingValue = "lstmw.padding_value";

    /// <summary>The written results, comma-separated (as <c>--outputs</c> takes them).</summary>
    public const string Outputs = "lstmw.outputs";

    /// <summary><c>padded</c> (every row's <c>output</c> T steps) or <c>ragged</c> (each row's own steps).</summary>
    public const string OutputLayout = "lstmw.output_layout";

    public const string ModelSha256 = "lstmw.model_sha256";

    /// <summary>The format version, <see cref="FormatVersion"/>.</summary>
    public const string Version = "lstmw.version";
}
