using System.CommandLine;

namespace LstmWorkers.Cli.Commands;

/// <summary>The <c>lstmw</c> root command: every role is a subcommand of the one executable.</summary>
public static class LstmwCommand
{
    public static RootCommand Create() => new("lstmw: encode Parquet sequence datasets with PyTorch-trained LSTM encoders, exactly as nn.LSTM would.")
    {
        EncodeCommand.Create(),
        CoordinatorCommand.Create(),
        WorkerCommand.Create(),
        StatusCommand.Create(),
        StatusCommand.CreateCancel(),
    };
}
