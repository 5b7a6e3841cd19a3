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
/// Runs one encoding job: checks the model against the data, scans the dataset (validating every
/// row and finding T), then streams it window by window — sort by length, cut packed batches,
/// dispatch them to workers, put the results back in input order, pad to T — and appends each
/// window to the output file, which only appears at its path once complete. Memory grows with the
/// window (<see cref="CoordinatorOptions.WindowBytes"/>, <see cref="CoordinatorOptions.WindowsInFlight"/>), not the dataset.
/// </summary>
public sealed partial class EncodeJob(IBatchDispatcher dispatcher, PayloadStore payloads, IOptions<CoordinatorOptions> options,
    ILogger<EncodeJob> logger)
{
    public const string Version = "1.0.0";

    /// <param name="checkpointDirectory">Where finished windows are kept so that a rerun of the same job skips them
    /// (a cluster coordinator's state directory); null writes straight to the output.</param>
    public async Task<EncodeJobSummary> RunAsync(Guid jobId, EncodeJobRequest request, IProgress<EncodeJobProgress>? progress,
        CancellationToken cancellationToken, string? checkpointDirectory = null)
    {
        var settings = options.Value;
        var stopwatch = Stopwatch.StartNew();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        var model = LstmModel.Load(request.ModelPath);
        var readOptions = new DatasetReadOptions
        {
            IdColumn = request.IdColumn,
            SequenceColumn = request.SequenceColumn,
            InputSize = model.Config.InputSize,
            VocabSize = model.Config.VocabSize,
            AllowNonFinite = request.AllowNonFinite,
            MaxLength = request.TotalLength,
            Truncate = request.Truncate,
        };

        DatasetStats stats;
        await using (var scan = await DatasetReader.OpenAsync(request.Input, readOptions, cancellationToken))
        {
            CheckModelFitsData(scan, model, request.ModelPath);
            stats = await scan.ScanAsync(cancellationToken);
        }

        var shape = new JobShape(model.Config, request.TotalLength ?? stats.MaxLength, request.Outputs, request.PaddingValue);
        int windowRows = (int)Math.Clamp(settings.WindowBytes / Math.Max(1, shape.RowBytes), 1, settings.WindowRows);
        int tokenBytes = 4 * Math.Max(shape.StepWidth, model.Config.HasEmbedding ? 1 : model.Config.InputSize);
        int batchTokens = (int)Math.Clamp(settings.MaxBatchBytes / tokenBytes, 1, settings.MaxBatchTokens);
        LogStarted(request.Input, stats.Rows, stats.Tokens, shape.TotalLength, model.Sha256, windowRows);

        await using var reader = await DatasetReader.OpenAsync(request.Input, readOptions with { ChunkRows = windowRows }, cancellationToken);
        var outputSchema = OutputSchemaFor(reader.Schema, shape, model);
        await using IWindowSink sink = checkpointDirectory is null
            ? new OutputFileSink(await EncodingWriter.CreateAsync(request.OutputPath, outputSchema, cancellationToken))
            : new CheckpointSink(checkpointDirectory, request.OutputPath, outputSchema);
        var template = new EncodeBatch
        {
            JobId = jobId,
            ModelPath = Path.GetFullPath(request.ModelPath),
            ModelSha256 = model.Sha256,
            NeedOutput = request.Outputs.HasFlag(OutputSelection.Output),
        };
        var devices = new ConcurrentDictionary<string, bool>();
        long rowsDone = 0, tokensDone = 0;
        int batches = 0, windowIndex = 0;
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<(int Index, EncodedChunk? Chunk, int Rows, long Tokens)>>();
        try
        {
            await foreach (var window in reader.ReadAsync(failure.Token))
            {
                int index = windowIndex++;
                if (sink.HasWindow(index))
                {
                    pending.Enqueue(Task.FromResult<(int, EncodedChunk?, int, long)>((index, null, window.Count, window.TotalSteps)));
                }
                else
                {
                    var plan = BatchPlanner.Plan(window.Lengths, settings.MaxBatchRows, batchTokens);
                    batches += plan.Count;
                    pending.Enqueue(EncodeWindowAsync(template with { WindowIndex = index }, window, plan, shape, devices, failure.Token));
                }

                while (pending.Count >= Math.Max(1, settings.WindowsInFlight))
                {
                    await WriteNextAsync();
                }
            }

            while (pending.Count > 0)
            {
                await WriteNextAsync();
            }
        }
        catch
        {
            await failure.CancelAsync();
            await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        finally
        {
            payloads.DeleteJob(jobId);
        }

        await sink.CompleteAsync(windowIndex, cancellationToken);
        var summary = new EncodeJobSummary(request.OutputPath, rowsDone, tokensDone, shape.TotalLength, rowsDone * shape.TotalLength,
            batches, stopwatch.Elapsed, devices.Keys.Order(StringComparer.Ordinal).ToArray());
        LogCompleted(summary.Rows, summary.Tokens, summary.Batches, stopwatch.ElapsedMilliseconds);
        return summary;

        async Task WriteNextAsync()
        {
            var (index, chunk, rows, tokens) = await pending.Dequeue();
            if (chunk is not null)
            {
                await sink.WriteWindowAsync(index, chunk, failure.Token);
            }

            rowsDone += rows;
            tokensDone += tokens;
            progress?.Report(new EncodeJobProgress(rowsDone, stats.Rows, tokensDone, stats.Tokens, stopwatch.Elapsed));
        }
    }

    private async Task<(int, EncodedChunk?, int, long)> EncodeWindowAsync(EncodeBatch template, RowChunk window, IReadOnlyList<PlannedBatch> plan,
        JobShape shape, ConcurrentDictionary<string, bool> devices, CancellationToken cancellationToken)
    {
        var results = new WindowResults(window, shape);
        await Task.WhenAll(plan.Select(async (batch, index) =>
        {
            var message = await BatchMessages.CreateAsync(template with { BatchIndex = index }, window, batch, payloads, cancellationToken);
            var encoded = await dispatcher.DispatchAsync(message, cancellationToken);
            results.Add(batch,
                encoded.Output is null ? null : await payloads.GetAsync<float>(encoded.Output, cancellationToken),
                await payloads.GetAsync<float>(encoded.HiddenState, cancellationToken),
                await payloads.GetAsync<float>(encoded.CellState, cancellationToken));
            foreach (var payload in new[] { message.Tokens, message.Features, encoded.Output, encoded.HiddenState, encoded.CellState })
            {
                payloads.Delete(payload);
            }

            devices.TryAdd(encoded.Device, true);
        }));
        return (template.WindowIndex, results.ToChunk(), window.Count, window.TotalSteps);
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
            ["lstmw.model_sha256"] = model.Sha256,
            ["lstmw.version"] = Version,
        };
        return new OutputSchema(input.IdColumn, input.IdKind, input.IdNullable, shape.OutputRowSize, shape.HiddenRowSize, shape.CellRowSize, metadata);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Encoding {Input}: {Rows} rows, {Tokens} tokens, T = {TotalLength}, model {ModelSha256}, windows of {WindowRows} rows")]
    private partial void LogStarted(string input, long rows, long tokens, int totalLength, string modelSha256, int windowRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encoded {Rows} rows, {Tokens} tokens in {Batches} batches, {ElapsedMs} ms")]
    private partial void LogCompleted(long rows, long tokens, int batches, long elapsedMs);
}
