namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Which of the LSTM's results a job writes (the id column and length always are).</summary>
[Flags]
public enum OutputSelection
{
    None = 0,
    Output = 1,
    HiddenState = 2,
    CellState = 4,

    /// <summary>Each row's mean of <c>output</c> over its steps.</summary>
    PooledMean = 8,

    /// <summary>Each row's maximum of <c>output</c> over its steps.</summary>
    PooledMax = 16,

    /// <summary>What a job writes unless told otherwise: output, h_n and c_n.</summary>
    Default = Output | HiddenState | CellState,
}

public static class OutputSelections
{
    private static readonly (OutputSelection Flag, string Name)[] Names =
    [
        (OutputSelection.Output, "output"),
        (OutputSelection.HiddenState, "h_n"),
        (OutputSelection.CellState, "c_n"),
        (OutputSelection.PooledMean, "pooled_mean"),
        (OutputSelection.PooledMax, "pooled_max"),
    ];

    private static string Choices => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>Parses a comma-separated list of <c>output</c>, <c>h_n</c>, <c>c_n</c>, <c>pooled_mean</c>, <c>pooled_max</c>.</summary>
    public static OutputSelection Parse(string text)
    {
        var selection = OutputSelection.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (flag, _) = Names.FirstOrDefault(n => n.Name == part);
            selection |= flag == OutputSelection.None ? throw new ArgumentException($"unknown output '{part}'; choose from {Choices}") : flag;
        }

        return selection == OutputSelection.None ? throw new ArgumentException($"--outputs names no output; choose from {Choices}") : selection;
    }

    public static string Format(OutputSelection selection) =>
        string.Join(",", Names.Where(n => selection.HasFlag(n.Flag)).Select(n => n.Name));
}
