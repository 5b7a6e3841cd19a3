using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Datasets;
using LstmWorkers.Coordinator.Jobs;
using LstmWorkers.Core.Files;
using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Turns a submitted job into an <see cref="EncodeJobRequest"/> with every path checked against the data roots.</summary>
public static class JobRequests
{
    /// <summary>
    /// Checks the job and returns it with real paths: the input and every file it expands to (a directory's, a glob's),
    /// and the model, must be regular files inside the roots; the output must lie inside them. The output is a dataset
    /// when its path ends in a separator or names a directory (<see cref="DatasetOutput.IsNamedBy"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A path outside the roots, a file that is not a regular file, a bad option.</exception>
    /// <exception cref="Data.InputDataException">The input matches no file.</exception>
    public static EncodeJobRequest Resolve(SubmitEncodeJob job, DataRoots roots)
    {
        if (job.JobId == Guid.Empty)
        {
            throw new ArgumentException("the job id is empty");
        }

        if (job.TotalLength is < 0)
        {
            throw new ArgumentException($"total length {job.TotalLength} is negative");
        }

        string input = roots.Resolve(job.Input, "input");
        foreach (string file in DatasetFiles.Resolve(input))
        {
            roots.ResolveFile(file, "input");
        }

        string output = roots.Resolve(job.OutputPath, "output");
        var request = new EncodeJobRequest
        {
            Input = input,
            ModelPath = roots.ResolveFile(job.ModelPath, "model"),
            OutputPath = output,
            OutputDataset = DatasetOutput.IsNamedBy(job.OutputPath, output),
            RowsPerPart = job.RowsPerPart,
            Overwrite = job.Overwrite,
            TotalLength = job.TotalLength,
            Truncate = job.Truncate,
            Outputs = OutputSelections.Parse(job.Outputs),
            OutputLayout = OutputLayouts.Parse(job.OutputLayout),
            IdColumn = job.IdColumn,
            SequenceColumn = job.SequenceColumn,
            PaddingValue = job.PaddingValue,
            AllowNonFinite = job.AllowNonFinite,
        };
        request.CheckDatasetOptions();
        return request;
    }
}
