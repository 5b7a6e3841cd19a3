using LstmWorkers.Core.Files;
using Microsoft.Extensions.Options;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// Refuses, at start, a state directory that overlaps a data root, one inside the other by real path: a job could then
/// write over the coordinator's job records (and break every later start) or read them.
/// </summary>
internal sealed class StateDirectoryValidation : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        string state = Path.GetFullPath(options.EffectiveStateDirectory);
        return new DataRoots(options.EffectiveDataRoots, "coordinator").Overlapping(state) is { } root
            ? ValidateOptionsResult.Fail($"the state directory '{state}' and the data root '{root}' overlap (one lies inside the other): " +
                                         "a job could write over the coordinator's records; give --state-dir outside every --data-root")
            : ValidateOptionsResult.Success;
    }
}
