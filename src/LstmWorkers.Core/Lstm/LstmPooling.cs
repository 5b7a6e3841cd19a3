namespace LstmWorkers.Core.Lstm;

/// <summary>Which per-sequence reductions of the last layer's output a batch asks for (<see cref="OutputPooling"/>).</summary>
[Flags]
public enum LstmPooling
{
    None = 0,

    /// <summary>The mean of <c>output</c> over the sequence's steps t &lt; length.</summary>
    Mean = 1,

    /// <summary>The maximum of <c>output</c> over the sequence's steps t &lt; length.</summary>
    Max = 2,
}
