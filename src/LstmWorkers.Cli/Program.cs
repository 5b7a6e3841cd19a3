using LstmWorkers.Cli.Commands;

return await LstmwCommand.Create().Parse(args).InvokeAsync();
