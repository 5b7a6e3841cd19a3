using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>The long-running roles refuse bad settings with one <c>lstmw: error:</c> line and exit 1, before touching a broker.</summary>
public class RoleCommandTests
{
    [Theory]
    [InlineData("worker", "--broker", "http://localhost", "is not an amqp://host[:port][/vhost] URI")]
    [InlineData("coordinator", "--broker", "http://localhost", "is not an amqp://host[:port][/vhost] URI")]
    [InlineData("worker", "", "", "a worker needs --broker")]
    public async Task A_role_with_a_bad_broker_setting_exits_with_one_error_line(string role, string flag, string value, string message)
    {
        var result = await Lstmw.RunAsync(flag.Length == 0 ? [role] : [role, flag, value]);

        AssertOneErrorLine(result, message);
    }

    [Theory]
    [InlineData("LSTMW_BROKERMAXMESSAGEBYTES", "5", "BrokerMaxMessageBytes '5' is not a number of bytes")]
    [InlineData("LSTMW_Worker__Cpu__ChunkRows", "0", "Worker:Cpu:ChunkRows must be 1 or more")]
    public async Task A_worker_with_a_setting_out_of_range_exits_with_one_error_line(string variable, string value, string message)
    {
        var result = await Lstmw.RunAsync(new Dictionary<string, string> { [variable] = value }, "worker", "--broker", "amqp://localhost:1/");

        AssertOneErrorLine(result, message);
    }

    [Fact]
    public async Task Status_with_a_broker_out_of_reach_exits_soon_with_one_error_line_and_no_password()
    {
        var result = await Lstmw.RunAsync("status", "--broker", "amqp://guest:s3cret@localhost:1/");

        Lstmw.AssertRefused(result);
        Assert.Contains("Broker unreachable", result.Error);
        Assert.DoesNotContain("s3cret", result.Error);
    }

    private static void AssertOneErrorLine(Lstmw.Result result, string message)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("lstmw: error: ", result.Error);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("Unhandled exception", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
