using System.Runtime.CompilerServices;
using LstmWorkers.Data.Input.Columns;
using LstmWorkers.Data.Input.Pages;
using Parquet;

namespace LstmWorkers.Data.Input;

/// <summary>
/// Reads a Parquet dataset (one file, a directory or a glob; contract §2) column by column as raw values and
/// definition/repetition levels (<see cref="Pages.RawColumnReader"/>: our page decoder, Parquet.Net for what it
/// declines), validating every row.
/// <para>
/// Rows are numbered from 0 across the files in <see cref="Files"/> order; that number is "the row" in every
/// <see cref="InputDataException"/>. A bad row fails the pass that meets it; rows before it have been delivered.
/// A pass may read a range of rows (<see cref="ReadAsync(RowRange, CancellationToken)"/>): it opens only the files and
/// decodes only the row groups the range overlaps (<see cref="RowGroups"/>, from the footers).
/// Memory: one row group's id and sequence columns at a time: their values, the compressed column chunk and its largest
/// decompressed page (the levels go to the row walk a piece at a time).
/// </para>
/// <para>
/// Thread safety: each <see cref="ScanAsync"/> or <see cref="ReadAsync"/> opens the files itself and owns its buffers,
/// so passes may run one after another or at the same time.
/// </para>
/// </summary>
public sealed class DatasetReader : IAsyncDisposable
{
    private readonly DatasetReadOptions _options;
    private readonly ColumnChoice _columns;
    private readonly DatasetFile[] _files;
    private bool _disposed;

    private DatasetReader(DatasetReadOptions options, ColumnChoice columns, DatasetFile[] files, DatasetSchema schema)
    {
        _options = options;
        _columns = columns;
        _files = files;
        Schema = schema;
        Files = files.Select(f => f.Path).ToArray();
        RowGroups = SpansOf(files);
    }

    /// <summary>The columns used, identical in every file, and the total row count.</summary>
    public DatasetSchema Schema { get; }

    /// <summary>The dataset's files (full paths) in row order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every row group of every file, in row order, as the footers read at <see cref="OpenAsync"/> give them.</summary>
    public IReadOnlyList<RowGroupSpan> RowGroups { get; }

    /// <summary>
    /// Resolves <paramref name="input"/> (<see cref="DatasetFiles.Resolve"/>), reads every file's footer, picks the id and
    /// sequence columns on the first file and checks that every file has them with the same types.
    /// </summary>
    /// <exception cref="InputDataException">No file, an unreadable file, a missing column, an unsupported or differing type.</exception>
    /// <exception cref="ArgumentException">Invalid options, e.g. a feature column without <see cref="DatasetReadOptions.InputSize"/>.</exception>
    public static async Task<DatasetReader> OpenAsync(string input, DatasetReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IReadOnlyList<string> paths = DatasetFiles.Resolve(input);
        var files = new DatasetFile[paths.Count];
        ColumnChoice? columns = null;
        ColumnLayout? firstSequence = null, firstId = null;
        bool idNullable = false;
        long rows = 0;
        for (int i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = paths[i];
            await using ParquetReader reader = await ParquetFiles.OpenAsync(path, cancellationToken);
            var inspector = new SchemaInspector(reader, path);
            columns ??= ColumnChoice.Decide(inspector, path, options);
            ColumnLayout sequence = columns.Sequence(inspector, path);
            ColumnLayout? id = columns.Id(inspector, path);
            firstSequence ??= sequence;
            firstId ??= id;
            if (sequence.SequenceKind != firstSequence.SequenceKind)
            {
                throw new InputDataException(
                    $"the column has type {sequence.TypeName} here but {firstSequence.TypeName} in {paths[0]}; every file must hold the same kind of sequence",
                    file: path, column: columns.SequenceColumn);
            }
            if (id is not null && id.IdKind != firstId!.IdKind)
            {
                throw new InputDataException($"the id column has type {id.TypeName} here but {firstId.TypeName} in {paths[0]}",
                    file: path, column: columns.IdColumn);
            }
            idNullable |= id?.Nullable ?? false;
            long[] groupRows = reader.RowGroups.Select(g => g.RowCount).ToArray();
            long[] groupValues = reader.RowGroups.Select(g => sequence.Leaf is null ? 0 : g.GetMetadata(sequence.Leaf)?.MetaData?.NumValues ?? 0).ToArray();
            long fileRows = groupRows.Sum();
            files[i] = new DatasetFile(path, rows, fileRows, sequence.TypeName, id?.TypeName, groupRows, groupValues);
            rows += fileRows;
        }

        SequenceKind kind = firstSequence!.SequenceKind!.Value;
        if (kind != SequenceKind.TokenIds && options.InputSize <= 0)
        {
            throw new ArgumentException(
                $"Column '{columns!.SequenceColumn}' holds features ({firstSequence.TypeName}); InputSize must be given.", nameof(options));
        }
        var schema = new DatasetSchema(
            columns!.IdColumn ?? ColumnChoice.DefaultIdColumn,
            firstId?.IdKind ?? IdKind.RowNumber,
            idNullable,
            columns.SequenceColumn,
            kind,
            rows);
        return new DatasetReader(options, columns, files, schema);
    }

    /// <summary>
    /// One validating pass over the sequence column of every file (the id column is read only to name a bad row).
    /// </summary>
    /// <returns>Rows, total time steps and the longest row, both after truncation.</returns>
    /// <exception cref="InputDataException">The first bad row, in row order.</exception>
    public async Task<DatasetStats> ScanAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sequence = new SequenceDecoder(_options, Schema.SequenceKind);
        long tokens = 0;
        int maxLength = 0;
        foreach (DatasetFile file in _files)
        {
            await using ParquetReader reader = await ParquetFiles.OpenAsync(file.Path, cancellationToken);
            using var pages = new PageFile(file.Path);
            (ColumnLayout sequenceLayout, ColumnLayout? idLayout) = Reinspect(reader, file);
            long groupFirstRow = file.FirstRow;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ParquetRowGroupReader rowGroup = reader.RowGroups[g];
                await DecodeAsync(sequence, rowGroup, sequenceLayout, file, pages, g, cancellationToken);
                foreach (int steps in sequence.Steps)
                {
                    tokens += steps;
                    maxLength = Math.Max(maxLength, steps);
                }
                if (sequence.Problem is { } problem)
                {
                    throw await RowErrorAsync(rowGroup, idLayout, null, file, pages, g, groupFirstRow, problem, cancellationToken);
                }
                groupFirstRow += rowGroup.RowCount;
            }
        }
        return new DatasetStats(Schema.RowCount, tokens, maxLength);
    }

    /// <summary>
    /// All rows in global row order, validated, in chunks of at most <see cref="DatasetReadOptions.ChunkRows"/> rows and
    /// <see cref="DatasetReadOptions.ChunkSteps"/> time steps (or one row).
    /// A chunk never spans two files; it may span row groups or hold part of one. (A chunk also closes early rather than
    /// hold more than 2^28 sequence values.)
    /// </summary>
    /// <exception cref="InputDataException">Thrown when the enumeration reaches the first bad row.</exception>
    public IAsyncEnumerable<RowChunk> ReadAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(new RowRange(0, Schema.RowCount), cancellationToken);

    /// <summary>
    /// The rows of <paramref name="range"/>, as <see cref="ReadAsync(CancellationToken)"/> gives all rows: only the row
    /// groups the range overlaps are decoded, and the first chunk starts at the range's first row. A bad row of a decoded
    /// row group fails the pass when it lies in the range, or before it (the rows after a bad one are not decoded).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie within the dataset's rows.</exception>
    /// <exception cref="InputDataException">Thrown when the enumeration reaches the first bad row.</exception>
    public async IAsyncEnumerable<RowChunk> ReadAsync(RowRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (range.First < 0 || range.Count < 0 || range.End > Schema.RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, $"The dataset has {Schema.RowCount} rows.");
        }
        DecodedRowGroups.Decoded decoded = DecodedRowGroups.Take(_options, Schema.SequenceKind);
        try
        {
            SequenceDecoder sequence = decoded.Sequence;
            IdDecoder? ids = Schema.IdKind == IdKind.RowNumber ? null : decoded.Ids;
            var builder = new ChunkBuilder(Schema.IdKind, Schema.SequenceKind, _options.InputSize, _options.ChunkRows, _options.ChunkSteps);
            foreach (DatasetFile file in _files.Where(f => f.FirstRow < range.End && f.FirstRow + f.RowCount > range.First))
            {
                await using ParquetReader reader = await ParquetFiles.OpenAsync(file.Path, cancellationToken);
                using var pages = new PageFile(file.Path);
                (ColumnLayout sequenceLayout, ColumnLayout? idLayout) = Reinspect(reader, file);
                DateTime modified = File.GetLastWriteTimeUtc(file.Path);
                builder.Start(file.Path, Math.Max(file.FirstRow, range.First));
                long groupFirstRow = file.FirstRow;
                for (int g = 0; g < reader.RowGroupCount && groupFirstRow < range.End; groupFirstRow += file.GroupRows[g], g++)
                {
                    if (groupFirstRow + file.GroupRows[g] <= range.First)
                    {
                        continue;
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    ParquetRowGroupReader rowGroup = reader.RowGroups[g];
                    var group = new DecodedRowGroups.Group(file.Path, pages.Length, modified, g);
                    if (decoded.SequenceGroup != group)
                    {
                        decoded.SequenceGroup = null;
                        await DecodeAsync(sequence, rowGroup, sequenceLayout, file, pages, g, cancellationToken);
                        decoded.SequenceGroup = group;
                    }
                    if (ids is not null && decoded.IdsGroup != group)
                    {
                        decoded.IdsGroup = null;
                        await DecodeAsync(ids, rowGroup, idLayout!, file, pages, g, cancellationToken);
                        decoded.IdsGroup = group;
                    }
                    int at = (int)Math.Max(0, range.First - groupFirstRow);
                    int end = (int)Math.Min(file.GroupRows[g], range.End - groupFirstRow);
                    int valid = Math.Min(sequence.ValidRows, end);
                    while (at < valid)
                    {
                        int take = sequence.RowsFitting(at, Math.Min(valid - at, builder.Remaining), builder.ValueBudget);
                        if (builder.Count > 0 && sequence.KeptValues(at, take) > builder.ValueBudget)
                        {
                            yield return builder.Build();
                            continue;
                        }
                        builder.Append(sequence, ids, at, take);
                        at += take;
                        if (builder.Remaining == 0)
                        {
                            yield return builder.Build();
                        }
                    }
                    if (sequence.Problem is { } problem && problem.Row < end)
                    {
                        throw await RowErrorAsync(rowGroup, idLayout, ids, file, pages, g, groupFirstRow, problem, cancellationToken);
                    }
                }
                if (builder.Count > 0)
                {
                    yield return builder.Build();
                }
            }
        }
        finally
        {
            DecodedRowGroups.Keep(decoded);
        }
    }

    /// <summary>Nothing is held open between passes; this only marks the reader as disposed.</summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private static RowGroupSpan[] SpansOf(DatasetFile[] files)
    {
        var spans = new List<RowGroupSpan>();
        for (int f = 0; f < files.Length; f++)
        {
            long first = files[f].FirstRow;
            for (int g = 0; g < files[f].GroupRows.Length; g++)
            {
                spans.Add(new RowGroupSpan(f, g, new RowRange(first, files[f].GroupRows[g]), files[f].GroupValues[g]));
                first += files[f].GroupRows[g];
            }
        }
        return spans.ToArray();
    }

    private (ColumnLayout Sequence, ColumnLayout? Id) Reinspect(ParquetReader reader, DatasetFile file)
    {
        var inspector = new SchemaInspector(reader, file.Path);
        ColumnLayout sequence = _columns.Sequence(inspector, file.Path);
        ColumnLayout? id = _columns.Id(inspector, file.Path);
        if (sequence.TypeName != file.SequenceType || id?.TypeName != file.IdType || !reader.RowGroups.Select(g => g.RowCount).SequenceEqual(file.GroupRows))
        {
            throw new InputDataException("the file changed after the dataset was opened", file: file.Path);
        }
        return (sequence, id);
    }

    private async Task DecodeAsync(SequenceDecoder decoder, ParquetRowGroupReader rowGroup, ColumnLayout layout,
        DatasetFile file, PageFile pages, int group, CancellationToken cancellationToken)
    {
        try
        {
            await decoder.DecodeAsync(rowGroup, layout, pages, cancellationToken);
        }
        catch (Exception e) when (ParquetFiles.IsDataError(e))
        {
            throw new InputDataException($"cannot read row group {group}: {e.Message}", file: file.Path, column: layout.Name, innerException: e);
        }
    }

    private async Task DecodeAsync(IdDecoder decoder, ParquetRowGroupReader rowGroup, ColumnLayout layout,
        DatasetFile file, PageFile pages, int group, CancellationToken cancellationToken)
    {
        try
        {
            await decoder.DecodeAsync(rowGroup, layout, pages, cancellationToken);
        }
        catch (Exception e) when (ParquetFiles.IsDataError(e))
        {
            throw new InputDataException($"cannot read row group {group}: {e.Message}", file: file.Path, column: layout.Name, innerException: e);
        }
    }

    /// <summary>The error for a bad row, with its id (read now when <paramref name="ids"/> was not decoded).</summary>
    private async Task<InputDataException> RowErrorAsync(ParquetRowGroupReader rowGroup, ColumnLayout? idLayout, IdDecoder? ids,
        DatasetFile file, PageFile pages, int group, long groupFirstRow, RowProblem problem, CancellationToken cancellationToken)
    {
        string? id = null;
        if (idLayout is not null)
        {
            if (ids is null)
            {
                ids = new IdDecoder();
                await DecodeAsync(ids, rowGroup, idLayout, file, pages, group, cancellationToken);
            }
            id = ids.Format(problem.Row);
        }
        return new InputDataException(problem.Detail, file: file.Path, row: groupFirstRow + problem.Row, id: id,
            column: Schema.SequenceColumn);
    }
}
