using System.CommandLine;
using LstmWorkers.Worker;

namespace LstmWorkers.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
public static class CommonOptions
{
    public static Option<string?> Broker() => new("--broker")
    {
        Description = "The RabbitMQ broker, amqp://user:password@host[:port][/vhost] (or LSTMW_BROKER; credentials may come from LSTMW_BROKERUSERNAME and LSTMW_BROKERPASSWORD).",
    };

    public static Option<string> Device()
    {
        var device = new Option<string>("--device")
        {
            Description = "Where the LSTM runs: auto (a GPU when there is one, else cpu), cpu, ilgpu-cpu, opencl or cuda.",
            DefaultValueFactory = _ => "auto",
        };
        device.AcceptOnlyFromAmong(LstmBackends.DeviceNames);
        return device;
    }

    public static Option<int?> Positive(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError($"{name} must be at least 1");
            }
        });
        return option;
    }
}
