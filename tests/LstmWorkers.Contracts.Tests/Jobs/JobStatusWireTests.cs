using System.Text.Json;
using LstmWorkers.Contracts.Jobs;

namespace LstmWorkers.Contracts.Tests.Jobs;

/// <summary>A job's state travels by name, as docs/MESSAGES.md and the Python example read it, whatever the serializer's options.</summary>
public sealed class JobStatusWireTests
{
    [Theory]
    [InlineData(JobState.Completed, "Completed")]
    [InlineData(JobState.Cancelled, "Cancelled")]
    public void The_state_is_written_and_read_by_its_name(JobState state, string name)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web); // camelCase, as MassTransit's envelope

        string json = JsonSerializer.Serialize(new JobStatus { State = state }, options);

        Assert.Contains($"\"state\":\"{name}\"", json);
        Assert.Equal(state, JsonSerializer.Deserialize<JobStatus>($"{{\"state\":\"{name}\"}}", options)!.State);
    }
}
