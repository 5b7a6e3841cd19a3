using LstmWorkers.Contracts.Jobs;
using LstmWorkers.Coordinator.Jobs;

namespace LstmWorkers.Coordinator.Cluster;

/// <summary>Turns a submitted job into an <see cref="EncodeJobRequest"/> with every path checked against the data roots.</summary>
public static class JobRequests
{
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

        return new EncodeJobRequest
        {
            Input = roots.Resolve(job.Input, "input"),
            ModelPath = roots.Resolve(job.ModelPath, "model"),
            OutputPath = roots.Resolve(job.OutputPath, "output"),
            TotalLength = job.TotalLength,
            Truncate = job.Truncate,
            Outputs = OutputSelections.Parse(job.Outputs),
            IdColumn = job.IdColumn,
            SequenceColumn = job.SequenceColumn,
            PaddingValue = job.PaddingValue,
            AllowNonFinite = job.AllowNonFinite,
        };
    }
}
