using System.Text.Json;
using LstmWorkers.Hosting;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Hosts;

/// <summary>The message size limit is one number in several places — the roles' default, appsettings.json and the
/// deployed brokers' max_message_size — so that the broker refuses exactly what the roles refuse.</summary>
public class MessageSizeSettingsTests
{
    [Fact]
    public void Appsettings_shows_the_roles_default_message_size_limit()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));

        Assert.Equal(BrokerSettings.DefaultMaxMessageBytes, settings.RootElement.GetProperty("BrokerMaxMessageBytes").GetInt32());
    }

    [Theory]
    [InlineData("deploy/rabbitmq/lstmw.conf")]
    [InlineData("deploy/k8s/rabbitmq.yaml")]
    public void A_deployed_broker_s_max_message_size_is_the_roles_default_limit(string file)
    {
        string text = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, file));

        Assert.Contains($"max_message_size = {BrokerSettings.DefaultMaxMessageBytes}\n", text);
    }
}
