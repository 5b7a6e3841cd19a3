using System.Diagnostics;
using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>What a coordinator refuses at submission, by real path and file type, with one line naming the path.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PathRefusalTests : ClusterTest
{
    [RabbitMqFact]
    public async Task A_fifo_as_input_is_rejected_naming_it_instead_of_blocking_the_coordinator()
    {
        StartCoordinator();
        await WaitUntilReadyAsync();
        string fifo = Data.File("in.parquet");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var result = await Lstmw.RunAsync("encode", fifo, "--model", Model, "--out", Data.File("out.parquet"), "--broker", Broker);

        Assert.True(result.ExitCode == 1, result + Logs());
        Assert.Contains($"the input file '{fifo}' is a FIFO (named pipe), not a regular file", result.Error);
    }

    [RabbitMqFact]
    public async Task An_output_through_a_link_out_of_the_data_root_is_rejected_and_nothing_is_written_there()
    {
        StartCoordinator();
        await WaitUntilReadyAsync();
        using var outside = new TempDirectory();
        Directory.CreateSymbolicLink(Data.File("out"), outside.Path);

        var result = await Lstmw.RunAsync("encode", Input, "--model", Model, "--out", Data.File("out/a.parquet"), "--broker", Broker);

        Assert.True(result.ExitCode == 1, result + Logs());
        Assert.Contains($"resolves to '{Path.Combine(outside.Path, "a.parquet")}', which is outside the coordinator's data roots", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }
}
