using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Worker.Tests;

public sealed class WorkerOptionsTests
{
    [Fact]
    public void The_cpu_backend_takes_its_settings_from_the_worker_cpu_section()
    {
        using var provider = Provider(new()
        {
            ["Worker:Device"] = "cpu",
            ["Worker:Cpu:InputTableBudgetBytes"] = "0",
            ["Worker:Cpu:MaxThreadsPerRun"] = "1",
            ["Worker:Cpu:ChunkRows"] = "77",
            ["Worker:Cpu:VectorWidth"] = "Bits256",
            ["Worker:Cpu:Cores"] = "3",
        });

        var backend = Assert.IsType<CpuLstmBackend>(provider.GetRequiredService<ILstmBackend>());

        Assert.Equal(new CpuLstmOptions { InputTableBudgetBytes = 0, MaxThreadsPerRun = 1, ChunkRows = 77, VectorWidth = CpuVectorWidth.Bits256, Cores = 3 },
            backend.Options);
        Assert.StartsWith("cpu (3 cores,", backend.Device);
    }

    [Theory]
    [InlineData("Worker:Cpu:MaxThreadsPerRun", "0", "MaxThreadsPerRun must be 1 or more")]
    [InlineData("Worker:Cpu:ChunkRows", "0", "ChunkRows must be 1 or more")]
    [InlineData("Worker:Cpu:InputTableBudgetBytes", "-1", "InputTableBudgetBytes must be 0 (no table) or more")]
    [InlineData("Worker:Cpu:Cores", "-1", "Cores must be 0 (every core) or more")]
    [InlineData("Worker:Concurrency", "-1", "Concurrency must be 0 (one per core) or more")]
    [InlineData("Worker:MaxCachedModels", "0", "MaxCachedModels must be 1 or more")]
    public void A_setting_out_of_range_is_refused_naming_it(string key, string value, string message)
    {
        using var provider = Provider(new() { ["Worker:Device"] = "cpu", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WorkerOptions>>().Value);

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Cores_0_means_every_core()
    {
        Assert.Equal(Environment.ProcessorCount, new CpuLstmOptions().EffectiveCores);
        Assert.Equal(5, new CpuLstmOptions { Cores = 5 }.EffectiveCores);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddLstmWorker();
        return services.BuildServiceProvider();
    }
}
