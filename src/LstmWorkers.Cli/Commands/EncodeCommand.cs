using System.CommandLine;
using LstmWorkers.Cli.Cluster;
using LstmWorkers.Cli.Console;
using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Cli.Embedded;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Cli.Commands;

/// <summary><c>lstmw encode</c>: the whole job, embedded (coordinator and workers in this process).</summary>
public static class EncodeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT")
        {
            Description = "A .parquet file, a directory of .parquet files (ordinal name order; names starting with _ or . skipped), or a glob like 'data/part-*.parquet'.",
        };
        var model = new Option<string>("--model", "-m")
        {
            Description = "The model: a .safetensors file holding a PyTorch state_dict (lstm.weight_ih_l0, …, optional embedding.weight).",
            Required = true,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The output: a .parquet file, written under a temporary name and renamed only when complete; or, for a path ending in '/' " +
                          "or an existing directory, a dataset: DIR/part-00000.parquet, … (contiguous rows each, in input order) and DIR/_SUCCESS " +
                          "last, with the work in progress under DIR/_temporary/ until then.",
            Required = true,
        };
        var rowsPerPart = CommonOptions.Positive("--rows-per-part",
            "A dataset's most rows per part (default: about 256 MiB of results per part; parts may end earlier, at the input's row groups).");
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Replace the lstmw dataset already in the --out directory when the new one is complete (refused otherwise).",
        };
        var totalLength = new Option<int?>("--total-length")
        {
            Description = "T: pad 'output' to this many steps (default: the longest sequence in the dataset; with --output-layout ragged only the " +
                "longest a row may be). Longer sequences are an error unless --truncate.",
        };
        var truncate = new Option<bool>("--truncate") { Description = "Cut sequences longer than --total-length instead of rejecting them." };
        var outputs = new Option<string>("--outputs")
        {
            Description = "Which results to write, comma-separated: output, h_n, c_n, pooled_mean, pooled_max (each row's mean and max of " +
                "'output' over its own steps, D·H_out floats; zeros for an empty row). The id column and 'length' are always written.",
            DefaultValueFactory = _ => "output,h_n,c_n",
        };
        var outputLayout = new Option<string>("--output-layout")
        {
            Description = "'padded': each row's 'output' holds T steps, padded past its length; 'ragged': only its own length × D·H_out " +
                "floats (no padding, no first pass to find T). Recorded as lstmw.output_layout.",
            DefaultValueFactory = _ => "padded",
        };
        var idColumn = new Option<string?>("--id-column") { Description = "The id column (default: 'id' when present, else the row number)." };
        var sequenceColumn = new Option<string?>("--sequence-column")
        {
            Description = "The sequence column: token ids (list<int>) or features (list<float>, list<list<float>>). Default: 'tokens', else 'features'.",
        };
        var paddingValue = new Option<float>("--padding-value") { Description = "The value of a padded 'output' at steps t ≥ length (default 0)." };
        var allowNonFinite = new Option<bool>("--allow-nonfinite") { Description = "Accept NaN and infinite features instead of rejecting the row." };
        var device = CommonOptions.Device();
        var workers = CommonOptions.Positive("--workers", "Batches encoded at once in an embedded run (default: one per core).");
        var broker = CommonOptions.Broker();
        outputs.Validators.Add(option =>
        {
            try
            {
                OutputSelections.Parse(option.GetValueOrDefault<string>());
            }
            catch (ArgumentException e)
            {
                option.AddError(e.Message);
            }
        });
        outputLayout.Validators.Add(option =>
        {
            try
            {
                OutputLayouts.Parse(option.GetValueOrDefault<string>());
            }
            catch (ArgumentException e)
            {
                option.AddError(e.Message);
            }
        });
        totalLength.Validators.Add(option =>
        {
            if (CommonOptions.IntegerOf(option) is < 0)
            {
                option.AddError("--total-length must be 0 or more");
            }
        });

        var command = new Command("encode", "Encode INPUT with the model and write output, h_n and c_n (or pooled vectors) per row, in input order.")
        {
            input, model, output, rowsPerPart, overwrite, totalLength, truncate, outputs, outputLayout, idColumn, sequenceColumn, paddingValue,
            allowNonFinite, device, workers, broker,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string outputPath = result.GetValue(output)!;
            var request = new EncodeJobRequest
            {
                Input = result.GetValue(input)!,
                ModelPath = result.GetValue(model)!,
                OutputPath = outputPath,
                OutputDataset = DatasetOutput.IsNamedBy(outputPath, outputPath),
                RowsPerPart = result.GetValue(rowsPerPart),
                Overwrite = result.GetValue(overwrite),
                TotalLength = result.GetValue(totalLength),
                Truncate = result.GetValue(truncate),
                Outputs = OutputSelections.Parse(result.GetValue(outputs)!),
                OutputLayout = OutputLayouts.Parse(result.GetValue(outputLayout)!),
                IdColumn = result.GetValue(idColumn),
                SequenceColumn = result.GetValue(sequenceColumn),
                PaddingValue = result.GetValue(paddingValue),
                AllowNonFinite = result.GetValue(allowNonFinite),
            };
            string? brokerUri = result.GetValue(broker) ?? Environment.GetEnvironmentVariable("LSTMW_BROKER");
            if (!string.IsNullOrWhiteSpace(brokerUri))
            {
                return await JobConsole.RunAsync(async (progress, ct) =>
                {
                    await using var client = await ClusterClient.ConnectAsync(brokerUri, ct);
                    return await client.EncodeAsync(ToSubmission(request), progress, ct);
                }, "lstmw: stopped waiting; the job goes on in the cluster (lstmw status, lstmw cancel)", cancellationToken);
            }

            return await JobConsole.RunAsync(
                (progress, ct) => EmbeddedEncoder.RunAsync(request, result.GetValue(device)!, result.GetValue(workers), progress, ct),
                "lstmw: cancelled; no output was written", cancellationToken);
        });
        return command;
    }

    private static SubmitEncodeJob ToSubmission(EncodeJobRequest request) => new()
    {
        JobId = Guid.NewGuid(),
        Input = request.Input,
        ModelPath = request.ModelPath,
        OutputPath = request.OutputPath,
        RowsPerPart = request.RowsPerPart,
        Overwrite = request.Overwrite,
        TotalLength = request.TotalLength,
        Truncate = request.Truncate,
        Outputs = OutputSelections.Format(request.Outputs),
        OutputLayout = OutputLayouts.Format(request.OutputLayout),
        IdColumn = request.IdColumn,
        SequenceColumn = request.SequenceColumn,
        PaddingValue = request.PaddingValue,
        AllowNonFinite = request.AllowNonFinite,
    };
}
