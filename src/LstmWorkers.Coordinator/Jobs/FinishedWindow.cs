using LstmWorkers.Data.Output;

namespace LstmWorkers.Coordinator.Jobs;

/// <summary>A window whose batches all came back: its results in input order, or null when an earlier run of the job already wrote it.</summary>
internal sealed record FinishedWindow(WindowSpan Span, EncodedChunk? Results, long Tokens);
