namespace LstmWorkers.Coordinator.Jobs;

/// <summary>Which of the LSTM's results a job writes (the id column and length always are).</summary>
[Flags]
public enum OutputSelection
{
    None = 0,
    Output = 1,
    HiddenState = 2,
    CellState = 4,
    All = Output | HiddenState | CellState,
}

public static class OutputSelections
{
    /// <summary>Parses a comma-separated list of <c>output</c>, <c>h_n</c>, <c>c_n</c>.</summary>
    public static OutputSelection Parse(string text)
    {
        var selection = OutputSelection.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            selection |= part switch
            {
                "output" => OutputSelection.Output,
                "h_n" => OutputSelection.HiddenState,
                "c_n" => OutputSelection.CellState,
                _ => throw new ArgumentException($"unknown output '{part}'; choose from output, h_n, c_n"),
            };
        }

        return selection == OutputSelection.None ? throw new ArgumentException("--outputs names no output; choose from output, h_n, c_n") : selection;
    }

    public static string Format(OutputSelection selection) => string.Join(",",
        new[] { (OutputSelection.Output, "output"), (OutputSelection.HiddenState, "h_n"), (OutputSelection.CellState, "c_n") }
            .Where(p => selection.HasFlag(p.Item1)).Select(p => p.Item2));
}
