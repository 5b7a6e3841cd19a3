namespace LstmWorkers.Data.Input.Columns;

/// <summary>
/// Which columns a dataset uses, decided on its first file from the options (contract §2 defaults), then required of
/// every file.
/// </summary>
internal sealed class ColumnChoice
{
    public const string DefaultIdColumn = "id";
    public const string DefaultTokensColumn = "tokens";
    public const string DefaultFeaturesColumn = "features";

    private ColumnChoice(string? idColumn, string sequenceColumn)
    {
        IdColumn = idColumn;
        SequenceColumn = sequenceColumn;
    }

    /// <summary>The id column, or null when rows are numbered.</summary>
    public string? IdColumn { get; }

    public string SequenceColumn { get; }

    public static ColumnChoice Decide(SchemaInspector first, string file, DatasetReadOptions options)
    {
        string sequence = options.SequenceColumn
            ?? (first.Has(DefaultTokensColumn) ? DefaultTokensColumn
                : first.Has(DefaultFeaturesColumn) ? DefaultFeaturesColumn
                : throw new InputDataException(
                    $"no sequence column: neither '{DefaultTokensColumn}' nor '{DefaultFeaturesColumn}' is present (name it explicitly); columns found: {Names(first)}",
                    file: file));
        string? id = options.IdColumn ?? (first.Has(DefaultIdColumn) ? DefaultIdColumn : null);
        if (id is not null && string.Equals(id, sequence, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The id column and the sequence column are both '{id}'.", nameof(options));
        }
        return new ColumnChoice(id, sequence);
    }

    /// <summary>The sequence column's layout in one file, or an error naming what is wrong.</summary>
    public ColumnLayout Sequence(SchemaInspector file, string path)
    {
        ColumnLayout layout = file.Inspect(SequenceColumn)
            ?? throw new InputDataException($"the column is missing; columns found: {Names(file)}", file: path, column: SequenceColumn);
        if (layout.SequenceKind is null)
        {
            throw new InputDataException($"unsupported type {layout.TypeName}; accepted: {ColumnLayout.AcceptedSequenceTypes}",
                file: path, column: SequenceColumn);
        }
        return layout;
    }

    /// <summary>The id column's layout in one file (null when rows are numbered), or an error naming what is wrong.</summary>
    public ColumnLayout? Id(SchemaInspector file, string path)
    {
        if (IdColumn is null)
        {
            return null;
        }
        ColumnLayout layout = file.Inspect(IdColumn)
            ?? throw new InputDataException($"the id column is missing; columns found: {Names(file)}", file: path, column: IdColumn);
        if (layout.IdKind is null)
        {
            throw new InputDataException($"unsupported id type {layout.TypeName}; accepted: {ColumnLayout.AcceptedIdTypes}",
                file: path, column: IdColumn);
        }
        return layout;
    }

    private static string Names(SchemaInspector file) =>
        file.ColumnNames.Count == 0 ? "(none)" : string.Join(", ", file.ColumnNames);
}
