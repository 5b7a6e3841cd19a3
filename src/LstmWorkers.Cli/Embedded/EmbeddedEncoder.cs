using System.Globalization;
using LstmWorkers.Cli.Hosts;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Hosting;
using LstmWorkers.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Cli.Embedded;

/// <summary>
/// Runs a job embedded: coordinator and workers in one host over MassTransit's in-memory
/// transport — the same consumers and messages as a cluster, without a broker. The output is one file or a dataset,
/// as the request says; a dataset directory is checked before anything starts, and what a failed or stopped job left
/// in it is removed.
/// </summary>
public static class EmbeddedEncoder
{
    public static async Task<EncodeJobSummary> RunAsync(EncodeJobRequest request, string device, int? workers,
        IProgress<EncodeJobProgress> progress, CancellationToken cancellationToken)
    {
        request.CheckDatasetOptions();
        IJobOutput output = request.OutputDataset
            ? await DatasetOutput.OpenAsync(request.OutputPath, request.RowsPerPart, request.Overwrite, cancellationToken)
            : new FileOutput(request.OutputPath);
        try
        {
            return await RunAsync(request, output, device, workers, progress, cancellationToken);
        }
        catch
        {
            output.Discard();
            throw;
        }
    }

    private static async Task<EncodeJobSummary> RunAsync(EncodeJobRequest request, IJobOutput output, string device, int? workers,
        IProgress<EncodeJobProgress> progress, CancellationToken cancellationToken)
    {
        // The model is read while the host is built and started, and the worker's copy prepared (W1's token table takes
        // half a second) before the first batch arrives; the job takes the same model rather than reading it again.
        var model = Task.Run(() => LstmModel.Load(request.ModelPath), CancellationToken.None);
        var builder = LstmwHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Worker:Device"] = device,
            ["Worker:Concurrency"] = workers?.ToString(CultureInfo.InvariantCulture),
            ["Worker:DataRoots:0"] = Path.GetFullPath(request.ModelPath), // the worker may read the model the user named, and only it
        });
        builder.Services.AddSingleton(PayloadStore.InProcess()); // batch data stays in memory: nothing to serialize
        builder.Services.AddLstmWorker();
        builder.Services.AddLstmCoordinator();
        // One process: no worker can be lost, so a slow batch is waited for, never sent again to run twice.
        builder.Services.PostConfigure<CoordinatorOptions>(coordinator => coordinator.BatchTimeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddLstmBus(new BrokerSettings(null, null, null), bus => bus.AddLstmWorkerConsumers());
        using var host = builder.Build();
        host.Services.GetRequiredService<ILstmBackend>(); // opens the device now: a missing one is an error before any work
        var models = host.Services.GetRequiredService<ModelCache>();
        var preload = model.ContinueWith(read =>
        {
            if (read.IsCompletedSuccessfully)
            {
                models.Preload(read.Result);
            }
        }, TaskScheduler.Default); // never fails: a model that cannot be read is the job's error, met at `await model`
        try
        {
            await host.StartAsync(cancellationToken);
            try
            {
                return await host.Services.GetRequiredService<EncodeJob>().RunAsync(Guid.NewGuid(), request, output, progress, cancellationToken,
                    model: await model);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            await preload; // it uses the host's services, so the host must outlive it
        }
    }
}
