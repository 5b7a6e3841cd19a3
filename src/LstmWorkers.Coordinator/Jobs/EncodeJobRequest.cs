using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>What to encode and how: the options of <c>lstmw encode</c>.</summary>
public sealed record EncodeJobRequest
{
    /// <summary>A .parquet file, a directory of them, or a glob.</summary>
    public required string Input { get; init; }

    public required string ModelPath { get; init; }

    /// <summary>The output file, or the directory of a dataset's parts when <see cref="OutputDataset"/>.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Write a dataset of part files into the directory <see cref="OutputPath"/> (contract §6), not one file.</summary>
    public bool OutputDataset { get; init; }

    /// <summary>The most rows of a dataset's part; null: about <see cref="Planning.ShardPlanner.DefaultPartBytes"/> of results.</summary>
    public long? RowsPerPart { get; init; }

    /// <summary>Replace a previous dataset at <see cref="OutputPath"/>, which is refused otherwise.</summary>
    public bool Overwrite { get; init; }

    /// <summary>T, the padded length of <c>output</c> (and the most steps a row may have); null: the longest sequence in the dataset.</summary>
    public int? TotalLength { get; init; }

    /// <summary>Cut sequences longer than <see cref="TotalLength"/> instead of rejecting them.</summary>
    public bool Truncate { get; init; }

    public OutputSelection Outputs { get; init; } = OutputSelection.Default;

    /// <summary>Whether <c>output</c> is padded to T or holds only each row's own steps.</summary>
    public OutputLayout OutputLayout { get; init; }

    /// <summary>True when every row's <c>output</c> is padded to T, which must then be known before the first window.</summary>
    public bool PadsOutput => Outputs.HasFlag(OutputSelection.Output) && OutputLayout == OutputLayout.Padded;

    public string? IdColumn { get; init; }

    public string? SequenceColumn { get; init; }

    /// <summary>The value of <c>output</c> at steps t ≥ length.</summary>
    public float PaddingValue { get; init; }

    public bool AllowNonFinite { get; init; }

    /// <summary>Refuses the options of a dataset output for one file, and a part of no rows.</summary>
    /// <exception cref="ArgumentException">The options do not fit the output.</exception>
    public void CheckDatasetOptions()
    {
        if (RowsPerPart is < 1)
        {
            throw new ArgumentException($"--rows-per-part {RowsPerPart}: a part must hold at least one row");
        }

        if (!OutputDataset && (RowsPerPart is not null || Overwrite))
        {
            throw new ArgumentException(
                $"--out {OutputPath} is one file: --rows-per-part and --overwrite are for a dataset (a path ending in '/', or an existing directory)");
        }
    }
}
