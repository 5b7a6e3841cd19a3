namespace LstmWorkers.Core.Models;

/// <summary>A model file that cannot be read or whose tensors do not fit together.</summary>
public sealed class ModelFormatException(string message, Exception? innerException = null)
    : Exception(message, innerException);
