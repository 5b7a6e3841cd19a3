using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
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

    /// <summary><c>--data-root DIR</c>, repeatable: a directory whose files the role's jobs may use.</summary>
    public static Option<string[]> DataRoots(string description) => new("--data-root")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The <c>--data-root</c> values as the settings <c>SECTION:DataRoots:0</c>, <c>:1</c>, ….</summary>
    public static void AddDataRoots(this IDictionary<string, string?> flags, string section, string[]? roots)
    {
        for (int i = 0; i < (roots?.Length ?? 0); i++)
        {
            flags[$"{section}:DataRoots:{i}"] = roots![i];
        }
    }

    public static Option<int?> Positive(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (IntegerOf(result) is < 1)
            {
                result.AddError($"{name} must be at least 1");
            }
        });
        return option;
    }

    /// <summary>
    /// The integer an option was given, for its validators: null when it was given none, or a token that is no integer,
    /// which System.CommandLine reports itself (asking it for the value then would throw).
    /// </summary>
    public static int? IntegerOf(OptionResult result) =>
        result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
