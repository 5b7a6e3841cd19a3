using System.Diagnostics;
using System.Globalization;
using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Coordinator.Planning;
using LstmWorkers.Core.Models;
using LstmWorkers.Data;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>
/// Runs one encoding job: checks the model against the data, sizes it up, plans its shards from the input's footers
/// (<see cref="ShardPlanner"/>: one shard when the output is one file, contiguous row ranges that become a dataset's
/// parts otherwise) and encodes them in order (<see cref="ShardEncoder"/>) into the output its caller chose
/// (<see cref="IJobOutput"/>), skipping the shards an earlier run committed; the output is complete only once every
/// shard is. Every row is validated as it is read; a bad row fails the job. When a padded <c>output</c> column is wanted and
/// T is not given, a first pass finds T (the longest row) before any work; otherwise (no <c>output</c>, a ragged one,
/// pooled vectors) the input is read once, each shard records its longest row, and T is known at the end, when the
/// output completes.
/// Memory grows with the window (<see cref="CoordinatorOptions.WindowBytes"/>, <see cref="CoordinatorOptions.WindowsInFlight"/>), not the dataset.
/// </summary>
public sealed partial class EncodeJob(IBatchDispatcher dispatcher, PayloadStore payloads, IOptions<CoordinatorOptions> options,
    ILogger<EncodeJob> logger)
{
    /// <param name="output">Where the results go; the caller removes what a failed job leaves there (<see cref="IJobOutput.Discard"/>).</param>
    /// <param name="model">The model already read from the request's path (an embedded run reads it while its host
    /// starts); null reads it here.</param>
    public async Task<EncodeJobSummary> RunAsync(Guid jobId, EncodeJobRequest request, IJobOutput output, IProgress<EncodeJobProgress>? progress,
        CancellationToken cancellationToken, LstmModel? model = null)
    {
        var stopwatch = Stopwatch.StartNew();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        await using var job = await PrepareAsync(jobId, jobId, request, output, cancellationToken, model);
        await output.StartAsync(job.Source, cancellationToken);
        long rowsDone = 0, tokensDone = 0;
        int batches = 0, longest = 0;
        void Written(long rows, long tokens)
        {
            rowsDone += rows;
            tokensDone += tokens;
            progress?.Report(new EncodeJobProgress(rowsDone, job.RowsTotal, tokensDone, job.TokensTotal, stopwatch.Elapsed));
        }

        payloads.OpenJob(jobId);
        try
        {
            foreach (var shard in job.Shards)
            {
                var tally = await job.EncodeShardAsync(shard, Written, cancellationToken);
                batches += tally.Batches;
                longest = Math.Max(longest, tally.Longest);
            }
        }
        finally
        {
            payloads.DeleteJob(jobId);
        }

        int finalLength = job.TotalLength ?? longest;
        await output.CompleteAsync(job.Shards, job.MetadataFor(finalLength), cancellationToken);
        var summary = new EncodeJobSummary(output.Path, rowsDone, tokensDone, finalLength, rowsDone * finalLength,
            batches, stopwatch.Elapsed, job.Devices);
        LogCompleted(summary.Rows, summary.Tokens, summary.TotalLength, summary.Batches, stopwatch.ElapsedMilliseconds);
        return summary;
    }

    /// <summary>
    /// Everything before the first shard: the model read and checked against the data, the job sized up (a first pass
    /// when a padded <c>output</c> needs T), its shards planned from the footers. A plan is a pure function of the
    /// request, the input and the model: every coordinator that prepares the same job gets the same shards.
    /// </summary>
    /// <param name="payloadFolder">Where the batches' payloads go (<see cref="EncodeBatch.PayloadFolder"/>); its caller opens and deletes it.</param>
    internal async Task<PreparedJob> PrepareAsync(Guid jobId, Guid payloadFolder, EncodeJobRequest request, IJobOutput output, CancellationToken cancellationToken,
        LstmModel? model = null)
    {
        var settings = options.Value;
        model ??= LstmModel.Load(request.ModelPath);
        var requested = new JobShape(model.Config, request.TotalLength ?? 0, request.Outputs, request.PaddingValue) { Layout = request.OutputLayout };
        requested.CheckTotalLength();
        var readOptions = ReadOptionsFor(request, model, requested.OutputStepLimit);
        var (rowsTotal, tokensTotal, totalLength) = await SizeUpAsync(request, readOptions, model, cancellationToken);

        var shape = requested with { TotalLength = totalLength ?? 0 };
        int windowRows = shape.WindowRows(settings);
        int batchTokens = (int)Math.Clamp(settings.MaxBatchBytes / shape.TokenBytes, 1, settings.MaxBatchTokens);
        var reader = await DatasetReader.OpenAsync(request.Input, readOptions with { ChunkRows = windowRows, ChunkSteps = shape.WindowSteps(settings) }, cancellationToken);
        try
        {
            long? rowsPerShard = output.RowsPerShard(shape.MeanRowBytes(reader.Schema.RowCount, reader.RowGroups.Sum(g => g.SequenceValues),
                reader.Schema.SequenceKind == SequenceKind.TokenIds ? 1 : model.Config.InputSize));
            var shards = ShardPlanner.Plan(reader.RowGroups, rowsPerShard);
            LogStarted(request.Input, rowsTotal, model.Sha256, windowRows, shards.Count);
            var template = new EncodeBatch
            {
                JobId = jobId,
                PayloadFolder = payloadFolder,
                ModelPath = Path.GetFullPath(request.ModelPath),
                ModelSha256 = model.Sha256,
                NeedOutput = request.Outputs.HasFlag(OutputSelection.Output),
                NeedPooledMean = request.Outputs.HasFlag(OutputSelection.PooledMean),
                NeedPooledMax = request.Outputs.HasFlag(OutputSelection.PooledMax),
            };
            return new PreparedJob(reader, output, shards, new ShardEncoder(reader, shape, template, dispatcher, payloads, settings, batchTokens),
                longest => OutputSchemaFor(reader.Schema, shape with { TotalLength = totalLength ?? longest }, model), logger)
            {
                Source = CheckpointSource.Of(request, reader.Files, model.Sha256, shape, rowsPerShard),
                RowsTotal = rowsTotal,
                TokensTotal = tokensTotal,
                TotalLength = totalLength,
            };
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the reader checks: the model's input, the request's T, and, when the job writes <c>output</c>, the
    /// longest row one row of it can hold (refused with its file, row and id before any work).</summary>
    private static DatasetReadOptions ReadOptionsFor(EncodeJobRequest request, LstmModel model, StepLimit? stepLimit) => new()
    {
        StepLimit = stepLimit,
        IdColumn = request.IdColumn,
        SequenceColumn = request.SequenceColumn,
        InputSize = model.Config.InputSize,
        VocabSize = model.Config.VocabSize,
        AllowNonFinite = request.AllowNonFinite,
        MaxLength = request.TotalLength,
        Truncate = request.Truncate,
    };

    /// <summary>
    /// Checks the data against the model and returns the rows, and — when a first pass is needed, because a padded
    /// <c>output</c> column's width T·D·H_out must be known before the first window — the tokens and T. Otherwise the
    /// tokens are unknown (0) until the input has been read, and T is the one given, or null when it is found on the way.
    /// </summary>
    private async Task<(long Rows, long Tokens, int? TotalLength)> SizeUpAsync(EncodeJobRequest request, DatasetReadOptions readOptions,
        LstmModel model, CancellationToken cancellationToken)
    {
        await using var reader = await DatasetReader.OpenAsync(request.Input, readOptions, cancellationToken);
        CheckModelFitsData(reader, model, request.ModelPath);
        if (request.TotalLength is not null || !request.PadsOutput)
        {
            return (reader.Schema.RowCount, 0, request.TotalLength);
        }

        var stats = await reader.ScanAsync(cancellationToken);
        LogScanned(stats.Rows, stats.Tokens, stats.MaxLength);
        return (stats.Rows, stats.Tokens, stats.MaxLength);
    }

    private static void CheckModelFitsData(DatasetReader reader, LstmModel model, string modelPath)
    {
        var schema = reader.Schema;
        bool tokens = schema.SequenceKind == SequenceKind.TokenIds;
        if (tokens && !model.Config.HasEmbedding)
        {
            throw new InputDataException(
                $"the column holds token ids but the model {modelPath} has no 'embedding.weight' (it takes {model.Config.InputSize} features per step); " +
                "give a features column or a model with an embedding", reader.Files[0], column: schema.SequenceColumn);
        }

        if (!tokens && model.Config.HasEmbedding)
        {
            throw new InputDataException(
                $"the column holds features but the model {modelPath} has an embedding of {model.Config.VocabSize} tokens and takes token ids",
                reader.Files[0], column: schema.SequenceColumn);
        }
    }

    private static OutputSchema OutputSchemaFor(DatasetSchema input, JobShape shape, LstmModel model)
    {
        var config = model.Config;
        string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string>
        {
            [EncodingMetadata.TotalLength] = Text(shape.TotalLength),
            [EncodingMetadata.NumDirections] = Text(config.NumDirections),
            [EncodingMetadata.NumLayers] = Text(config.NumLayers),
            [EncodingMetadata.HiddenSize] = Text(config.HiddenSize),
            [EncodingMetadata.OutputSize] = Text(config.OutputSize),
            [EncodingMetadata.ProjSize] = Text(config.ProjSize),
            [EncodingMetadata.PaddingValue] = shape.PaddingValue.ToString("R", CultureInfo.InvariantCulture),
            [EncodingMetadata.Outputs] = OutputSelections.Format(shape.Outputs),
            [EncodingMetadata.OutputLayout] = OutputLayouts.Format(shape.Layout),
            [EncodingMetadata.ModelSha256] = model.Sha256,
            [EncodingMetadata.Version] = EncodingMetadata.FormatVersion,
        };
        return new OutputSchema(input.IdColumn, input.IdKind, input.IdNullable, shape.OutputRowSize ?? shape.OutputStepSize, shape.HiddenRowSize,
            shape.CellRowSize, metadata)
        {
            OutputLayout = shape.RaggedOutput ? OutputLayout.Ragged : OutputLayout.Padded,
            PooledMeanRowSize = shape.PooledMeanRowSize,
            PooledMaxRowSize = shape.PooledMaxRowSize,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanned the input: {Rows} rows, {Tokens} tokens, the longest {MaxLength} steps")]
    private partial void LogScanned(long rows, long tokens, int maxLength);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encoding {Input}: {Rows} rows, model {ModelSha256}, windows of {WindowRows} rows, {Shards} shards")]
    private partial void LogStarted(string input, long rows, string modelSha256, int windowRows, int shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encoded {Rows} rows, {Tokens} tokens, T = {TotalLength}, in {Batches} batches, {ElapsedMs} ms")]
    private partial void LogCompleted(long rows, long tokens, int totalLength, int batches, long elapsedMs);
}
