using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Cluster;

/// <summary>A broker URI that cannot be used is named in the error without its password (or user), whichever command got it.</summary>
public class BrokerUriRedactionTests
{
    [Theory]
    [InlineData("worker", "http://lstmw:s3cret-pass@localhost:5672/", "'http://***@localhost:5672/' is not an amqp://host[:port][/vhost] URI")]
    [InlineData("coordinator", "lstmw:s3cret-pass@localhost", "'***@localhost' is not an amqp://host[:port][/vhost] URI")]
    [InlineData("status", "http://lstmw:s3cret-pass@localhost/", "'http://***@localhost/' is not an amqp://host[:port][/vhost] URI")]
    public async Task A_bad_broker_uri_is_echoed_without_its_credentials(string command, string broker, string expected)
    {
        var result = await Lstmw.RunAsync(command, "--broker", broker);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("s3cret", result.Output + result.Error);
        Assert.DoesNotContain("lstmw:", result.Error.Replace("lstmw: error:", "", StringComparison.Ordinal));
    }
}
