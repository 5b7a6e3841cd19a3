using System.Collections;
using System.Reflection;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Coordinator;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Hosting;
using LstmWorkers.Worker;
using Microsoft.Extensions.Configuration;

namespace LstmWorkers.Cli.Tests.Hosts;

/// <summary>The README says appsettings.json shows every setting with its default: each options class's settable
/// properties are there, no others, and each with the value the class gives it.</summary>
public class AppsettingsDefaultsTests
{
    public static TheoryData<string, Type> Sections => new()
    {
        { CoordinatorOptions.SectionName, typeof(CoordinatorOptions) },
        { WorkerOptions.SectionName, typeof(WorkerOptions) },
        { $"{WorkerOptions.SectionName}:Cpu", typeof(CpuLstmOptions) },
        { PayloadOptions.SectionName, typeof(PayloadOptions) },
        { OperationsOptions.SectionName, typeof(OperationsOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Appsettings_shows_every_setting_of_a_section_with_its_default(string name, Type type)
    {
        var section = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .Build()
            .GetSection(name);
        var settings = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToArray();

        Assert.Equal(settings.Select(p => p.Name).Order(), section.GetChildren().Select(c => c.Key).Order());
        object defaults = Activator.CreateInstance(type)!;
        object shown = section.Get(type)!;
        foreach (var setting in settings.Where(p => p.PropertyType == typeof(string) || !p.PropertyType.IsClass || p.PropertyType.IsArray))
        {
            object? expected = setting.GetValue(defaults), actual = setting.GetValue(shown);
            if (expected is IEnumerable list and not string)
            {
                Assert.Equal(list.Cast<object>(), ((IEnumerable)actual!).Cast<object>());
            }
            else
            {
                Assert.True(Equals(expected, actual), $"{name}:{setting.Name} is {actual ?? "null"} in appsettings.json, {expected ?? "null"} by default");
            }
        }
    }
}
