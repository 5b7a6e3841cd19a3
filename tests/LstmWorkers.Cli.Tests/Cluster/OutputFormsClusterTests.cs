using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>Contract §7 through a real RabbitMQ: a ragged <c>output</c> and pooled vectors, the same bytes as the embedded run's.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OutputFormsClusterTests : ClusterTest
{
    [RabbitMqFact]
    public async Task A_ragged_output_with_pooled_vectors_through_the_broker_writes_the_embedded_run_s_bytes()
    {
        StartCoordinator();
        StartWorker();
        await WaitUntilReadyAsync();
        string[] forms = ["--outputs", "output,pooled_mean,pooled_max,h_n", "--output-layout", "ragged"];

        var cluster = await Lstmw.RunAsync(["encode", Input, "--model", Model, "--out", Data.File("cluster.parquet"), .. forms, "--broker", Broker]);
        var embedded = await Lstmw.RunAsync(Settings, ["encode", Input, "--model", Model, "--out", Data.File("embedded.parquet"), .. forms, "--device", "cpu"]);

        Assert.True(cluster.ExitCode == 0, cluster + Logs());
        Assert.True(embedded.ExitCode == 0, embedded.ToString());
        var encoded = await EncodedFile.ReadAsync(Data.File("cluster.parquet"));
        Assert.Equal("ragged", encoded.Metadata["lstmw.output_layout"]);
        int width = int.Parse(encoded.Metadata["lstmw.num_directions"]) * int.Parse(encoded.Metadata["lstmw.output_size"]);
        Assert.Equal(encoded.Lengths.Length * width, encoded.PooledMean!.Length);
        Assert.Equal(encoded.Lengths.Sum() * (long)width, encoded.Output!.Length);
        Assert.True(File.ReadAllBytes(Data.File("embedded.parquet")).AsSpan().SequenceEqual(File.ReadAllBytes(Data.File("cluster.parquet"))),
            "the cluster's output differs from the embedded run's");
    }
}
