namespace LstmWorkers.Coordinator.Dispatch;

/// <summary>A batch that no worker could encode; the message names the batch's rows.</summary>
public sealed class BatchFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
