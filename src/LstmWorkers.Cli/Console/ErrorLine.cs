using LstmWorkers.Cli.Cluster;
using LstmWorkers.Contracts;
using LstmWorkers.Coordinator.Dispatch;
using LstmWorkers.Core.Models;
using LstmWorkers.Data;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Cli.Console;

/// <summary>
/// The one rule every command reports an error by: a single line <c>lstmw: error: …</c> on stderr, exit code 1. The
/// user's errors (bad input, model, settings or paths, a failed or refused job, a broker that cannot be reached) are
/// their message alone; anything else is a bug, named as one, still on one line.
/// </summary>
internal static class ErrorLine
{
    /// <summary>True for the errors a user can cause and fix; their message says what to fix.</summary>
    public static bool IsUsers(Exception e) =>
        e is InputDataException or ModelFormatException or BatchFailedException or ClusterJobFailedException or ArgumentException
            or IOException or UnauthorizedAccessException or OptionsValidationException or MessageTooLargeException
            or RequestTimeoutException or RabbitMqConnectionException or RabbitMQ.Client.Exceptions.BrokerUnreachableException;

    public static string For(Exception e)
    {
        string message = IsUsers(e) ? e.Message : $"unexpected {e.GetType().Name}: {e.Message} (a bug in lstmw; please report it)";
        return "lstmw: error: " + Flatten(message);
    }

    public static async Task<int> WriteAsync(Exception e)
    {
        await System.Console.Error.WriteLineAsync(For(e));
        return 1;
    }

    /// <summary>A command line that does not parse: every problem on the one line, and where the command's help is
    /// (System.CommandLine would print them on lines of their own, then the whole help).</summary>
    public static async Task<int> WriteUsageAsync(System.CommandLine.ParseResult parsed)
    {
        string problems = string.Join(" ", parsed.Errors.Select(error => error.Message.TrimEnd('.') + "."));
        string command = string.Join(' ', parsed.CommandResult.Command.Name == "lstmw" ? ["lstmw"] : new[] { "lstmw", parsed.CommandResult.Command.Name });
        await System.Console.Error.WriteLineAsync("lstmw: error: " + Flatten($"{problems} (see {command} --help)"));
        return 1;
    }

    private static string Flatten(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
