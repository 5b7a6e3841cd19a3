using System.CommandLine;
using LstmWorkers.Cli.Hosts;
using LstmWorkers.Coordinator;
using LstmWorkers.Hosting;
using Microsoft.Extensions.Hosting;

namespace LstmWorkers.Cli.Commands;

/// <summary><c>lstmw coordinator</c>: takes jobs from the broker, runs them on the cluster's workers, resumes unfinished ones after a restart.</summary>
public static class CoordinatorCommand
{
    public static Command Create()
    {
        var broker = CommonOptions.Broker();
        var stateDirectory = new Option<string?>("--state-dir")
        {
            Description = "Where jobs are kept so that a restarted coordinator resumes them; outside every --data-root (default: $XDG_STATE_HOME/lstmw, else ~/.local/state/lstmw).",
        };
        var dataRoots = CommonOptions.DataRoots(
            "A directory submitted jobs may read and write (by real path: links are followed); repeat for several (default: the working directory).");
        var command = new Command("coordinator", "Run the coordinator: accept jobs from the broker and run them until stopped.")
        {
            broker, stateDirectory, dataRoots,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>
            {
                ["Broker"] = result.GetValue(broker),
                ["Coordinator:StateDirectory"] = result.GetValue(stateDirectory),
            };
            flags.AddDataRoots(CoordinatorOptions.SectionName, result.GetValue(dataRoots));

            return await RoleHost.RunAsync("coordinator", LstmwHost.CreateBuilder(flags), (builder, settings) =>
            {
                builder.Services.AddLstmCoordinator();
                builder.Services.AddLstmClusterCoordinator();
                builder.Services.AddLstmOperations(builder.Configuration);
                builder.Services.AddLstmBus(settings, bus => bus.AddLstmClusterCoordinatorConsumers());
            }, cancellationToken);
        });
        return command;
    }
}
