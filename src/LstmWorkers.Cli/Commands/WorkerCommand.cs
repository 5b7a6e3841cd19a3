using System.CommandLine;
using System.Globalization;
using LstmWorkers.Cli.Hosts;
using LstmWorkers.Hosting;
using LstmWorkers.Worker;
using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Cli.Commands;

/// <summary><c>lstmw worker</c>: a long-running worker that takes batches from the broker until stopped (SIGTERM, Ctrl-C).</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var broker = CommonOptions.Broker();
        var device = CommonOptions.Device();
        var concurrency = CommonOptions.Positive("--concurrency", "Batches encoded at once (default: one per core).");
        var dataRoots = CommonOptions.DataRoots(
            "A directory whose models batches may name (by real path: links are followed); repeat for several (default: the working directory).");
        var command = new Command("worker", "Run a worker: encode batches from the broker's queue until stopped.") { broker, device, concurrency, dataRoots };
        command.SetAction((result, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>
            {
                ["Broker"] = result.GetValue(broker),
                ["Worker:Device"] = result.GetValue(device),
                ["Worker:Concurrency"] = result.GetValue(concurrency)?.ToString(CultureInfo.InvariantCulture),
            };
            flags.AddDataRoots(WorkerOptions.SectionName, result.GetValue(dataRoots));
            return RoleHost.RunAsync("worker", LstmwHost.CreateBuilder(flags), (builder, settings) =>
            {
                builder.Services.AddLstmWorker();
                builder.Services.AddLstmOperations(builder.Configuration);
                builder.Services.AddLstmBus(settings, bus => bus.AddLstmWorkerConsumers());
            }, cancellationToken);
        });
        return command;
    }
}
