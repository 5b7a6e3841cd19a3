using System.Collections.Concurrent;
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
/// Runs one encoding job: checks the model against the data, then streams the dataset window by window — sort by
/// length, cut packed batches, dispatch them to workers, put the results back in input order, pad to T — and appends
/// each window to the output file, which only appears at its path once complete. Every row is validated as it is read;
/// a bad row fails the job and leaves no output. When a padded <c>output</c> column is wanted and T is not given, a first
/// pass finds T (the longest row) before any work; otherwise (no <c>output</c>, a ragged one, pooled vectors) the input
/// is read once and T is known at the end.
/// Memory grows with the window (<see cref="CoordinatorOptions.WindowBytes"/>, <see cref="CoordinatorOptions.WindowsInFlight"/>), not the dataset.
/// </summary>
public sealed partial class EncodeJob(IBatchDispatcher dispatcher, PayloadStore payloads, IOptions<CoordinatorOptions> options,
    ILogger<EncodeJob> logger)
{
    public const string Version = "1.0.0";

    /// <param name="checkpointDirectory">Where finished windows are kept so that a rerun of the same job skips them
    /// (a cluster coordinator's state directory); null writes straight to the output.</param>
    /// <param name="model">The model already read from the request's path (an embedded run reads it while its host
    /// starts); null reads it here.</param>
    public async Task<EncodeJobSummary> RunAsync(Guid jobId, EncodeJobRequest request, IProgress<EncodeJobProgress>? progress,
        CancellationToken cancellationToken, string? checkpointDirectory = null, LstmModel? model = null)
    {
        var settings = options.Value;
        var stopwatch = Stopwatch.StartNew();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        model ??= LstmModel.Load(request.ModelPath);
        var requested = new JobShape(model.Config, request.TotalLength ?? 0, request.Outputs, request.PaddingValue) { Layout = request.OutputLayout };
        requested.CheckTotalLength();
        var readOptions = ReadOptionsFor(request, model, requested.OutputStepLimit);
        var (rowsTotal, tokensTotal, totalLength) = await SizeUpAsync(request, readOptions, model, cancellationToken);

        var shape = requested with { TotalLength = totalLength ?? 0 };
        int windowRows = shape.WindowRows(settings);
        int batchTokens = (int)Math.Clamp(settings.MaxBatchBytes / shape.TokenBytes, 1, settings.MaxBatchTokens);
        LogStarted(request.Input, rowsTotal, model.Sha256, windowRows);

        await using var reader = await DatasetReader.OpenAsync(request.Input,
            readOptions with { ChunkRows = windowRows, ChunkSteps = shape.WindowSteps(settings) }, cancellationToken);
        var schema = OutputSchemaFor(reader.Schema, shape, model);
        await using IWindowSink sink = checkpointDirectory is null
            ? new OutputFileSink(await EncodingWriter.CreateAsync(request.OutputPath, schema, cancellationToken))
            : CheckpointSink.Open(checkpointDirectory, request.OutputPath, schema, CheckpointSource.Of(request, reader.Files, model.Sha256, shape));
        var template = new EncodeBatch
        {
            JobId = jobId,
            ModelPath = Path.GetFullPath(request.ModelPath),
            ModelSha256 = model.Sha256,
            NeedOutput = request.Outputs.HasFlag(OutputSelection.Output),
            NeedPooledMean = request.Outputs.HasFlag(OutputSelection.PooledMean),
            NeedPooledMax = request.Outputs.HasFlag(OutputSelection.PooledMax),
        };
        var devices = new ConcurrentDictionary<string, bool>();
        long rowsDone = 0, tokensDone = 0;
        long tokensRead = 0;
        int batches = 0, longest = 0;
        var windows = new List<WindowSpan>();
        payloads.OpenJob(jobId);
        using var failure = new JobFailure(cancellationToken);
        var queue = new WindowQueue(sink, settings.WindowsInFlight, (rows, tokens) =>
        {
            rowsDone += rows;
            tokensDone += tokens;
            progress?.Report(new EncodeJobProgress(rowsDone, rowsTotal, tokensDone, tokensTotal, stopwatch.Elapsed));
        }, failure.Token);
        try
        {
            await foreach (var window in reader.ReadAsync(failure.Token))
            {
                var span = new WindowSpan(windows.Count, window.FirstRow, window.Count);
                windows.Add(span);
                tokensRead += window.TotalSteps;
                longest = Math.Max(longest, window.Count == 0 ? 0 : window.Lengths.Max());
                if (sink.HasWindow(span))
                {
                    await queue.AddAsync(Task.FromResult(new FinishedWindow(span, null, window.TotalSteps)));
                    continue;
                }

                var plan = BatchPlanner.Plan(window.Lengths, settings.MaxBatchRows, batchTokens);
                batches += plan.Count;
                await queue.AddAsync(EncodeWindowAsync(template with { WindowIndex = span.Index }, span, window, plan, shape, devices, failure));
            }

            tokensTotal = tokensRead; // all read: now known, even without a first pass
            await queue.DrainAsync();
        }
        catch
        {
            await failure.CancelAsync();
            await queue.AbandonAsync();
            failure.ThrowFirst(); // a batch's error, rather than the cancellation it caused elsewhere
            throw;
        }
        finally
        {
            payloads.DeleteJob(jobId);
        }

        var final = shape with { TotalLength = totalLength ?? longest };
        await sink.CompleteAsync(windows, reader.Schema.RowCount, OutputSchemaFor(reader.Schema, final, model).Metadata, cancellationToken);
        var summary = new EncodeJobSummary(request.OutputPath, rowsDone, tokensDone, final.TotalLength, rowsDone * final.TotalLength,
            batches, stopwatch.Elapsed, devices.Keys.Order(StringComparer.Ordinal).ToArray());
        LogCompleted(summary.Rows, summary.Tokens, summary.TotalLength, summary.Batches, stopwatch.ElapsedMilliseconds);
        return summary;
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

    private async Task<FinishedWindow> EncodeWindowAsync(EncodeBatch template, WindowSpan span, RowChunk window, IReadOnlyList<PlannedBatch> plan,
        JobShape shape, ConcurrentDictionary<string, bool> devices, JobFailure failure)
    {
        var results = new WindowResults(window, shape);
        var cancellationToken = failure.Token;
        // Batches are packed at once but sent one after another in the plan's order, longest rows first: workers take
        // them in that order, so the longest run first and the shortest fill the window's end, rather than a long one
        // running alone there.
        var batches = new Task[plan.Count];
        var previous = Task.CompletedTask;
        for (int index = 0; index < plan.Count; index++)
        {
            var turn = new SendTurn(previous, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            batches[index] = FailJobOnError(
                EncodeBatchAsync(template with { BatchIndex = index }, window, plan[index], turn, results, devices, cancellationToken), failure);
            previous = turn.Sent.Task;
        }

        await Task.WhenAll(batches);
        return new FinishedWindow(span, results.ToChunk(), window.TotalSteps);
    }

    private static async Task FailJobOnError(Task batch, JobFailure failure)
    {
        try
        {
            await batch;
        }
        catch (Exception e) when (e is not OperationCanceledException && !failure.Token.IsCancellationRequested)
        {
            failure.Record(e); // the job's first error; what fails after the job was cancelled is a consequence
            throw;
        }
    }

    private async Task EncodeBatchAsync(EncodeBatch template, RowChunk window, PlannedBatch batch, SendTurn turn, WindowResults results,
        ConcurrentDictionary<string, bool> devices, CancellationToken cancellationToken)
    {
        EncodeBatch message;
        Task<BatchEncoded> reply;
        try
        {
            message = await BatchMessages.CreateAsync(template, window, batch, payloads, cancellationToken);
            await turn.Previous;
            reply = await dispatcher.SendAsync(message, cancellationToken);
        }
        finally
        {
            turn.Sent.TrySetResult(); // also when this batch failed: the next one goes
        }

        var encoded = await reply;
        results.Add(batch, await BatchResults.ReadAsync(encoded, payloads, cancellationToken));
        foreach (var payload in new[] { message.Tokens, message.Features, encoded.Output, encoded.HiddenState, encoded.CellState, encoded.PooledMean, encoded.PooledMax })
        {
            payloads.Delete(payload);
        }

        devices.TryAdd(encoded.Device, true);
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
            ["lstmw.total_length"] = Text(shape.TotalLength),
            ["lstmw.num_directions"] = Text(config.NumDirections),
            ["lstmw.num_layers"] = Text(config.NumLayers),
            ["lstmw.hidden_size"] = Text(config.HiddenSize),
            ["lstmw.output_size"] = Text(config.OutputSize),
            ["lstmw.proj_size"] = Text(config.ProjSize),
            ["lstmw.padding_value"] = shape.PaddingValue.ToString("R", CultureInfo.InvariantCulture),
            ["lstmw.outputs"] = OutputSelections.Format(shape.Outputs),
            ["lstmw.output_layout"] = OutputLayouts.Format(shape.Layout),
            ["lstmw.model_sha256"] = model.Sha256,
            ["lstmw.version"] = Version,
        };
        return new OutputSchema(input.IdColumn, input.IdKind, input.IdNullable, shape.OutputRowSize ?? shape.OutputStepSize, shape.HiddenRowSize,
            shape.CellRowSize, metadata)
        {
            OutputLayout = shape.RaggedOutput ? OutputLayout.Ragged : OutputLayout.Padded,
            PooledMeanRowSize = shape.PooledMeanRowSize,
            PooledMaxRowSize = shape.PooledMaxRowSize,
        };
    }

    /// <summary>A batch's place in the send order: it goes out once <see cref="Previous"/> has, then completes <see cref="Sent"/>.</summary>
    private sealed record SendTurn(Task Previous, TaskCompletionSource Sent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanned the input: {Rows} rows, {Tokens} tokens, the longest {MaxLength} steps")]
    private partial void LogScanned(long rows, long tokens, int maxLength);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encoding {Input}: {Rows} rows, model {ModelSha256}, windows of {WindowRows} rows")]
    private partial void LogStarted(string input, long rows, string modelSha256, int windowRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encoded {Rows} rows, {Tokens} tokens, T = {TotalLength}, in {Batches} batches, {ElapsedMs} ms")]
    private partial void LogCompleted(long rows, long tokens, int totalLength, int batches, long elapsedMs);
}
