namespace LstmWorkers.Data.Output;

/// <summary>How the <c>output</c> column holds a row's steps (contract §7).</summary>
public enum OutputLayout
{
    /// <summary>[T × D·H_out]: every row padded to T steps with the padding value.</summary>
    Padded,

    /// <summary>[length × D·H_out]: only the row's own steps, no padding.</summary>
    Ragged,
}

public static class OutputLayouts
{
    /// <summary>Parses <c>padded</c> or <c>ragged</c>.</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static OutputLayout Parse(string text) => text.Trim() switch
    {
        "padded" => OutputLayout.Padded,
        "ragged" => OutputLayout.Ragged,
        _ => throw new ArgumentException($"unknown output layout '{text}'; choose padded or ragged"),
    };

    /// <summary>The name as <see cref="Parse"/> takes it and the metadata's <c>lstmw.output_layout</c> holds it.</summary>
    public static string Format(OutputLayout layout) => layout == OutputLayout.Ragged ? "ragged" : "padded";
}
