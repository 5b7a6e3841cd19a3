namespace LstmWorkers.Data.Input;

/// <summary>How the sequence column holds a row's time steps.</summary>
public enum SequenceKind
{
    /// <summary><c>list&lt;int32&gt;</c> or <c>list&lt;int64&gt;</c>: one token id per time step.</summary>
    TokenIds,

    /// <summary><c>list&lt;float&gt;</c> or <c>list&lt;double&gt;</c>: features flattened time-major, length = steps × input_size.</summary>
    FlatFeatures,

    /// <summary><c>list&lt;list&lt;float&gt;&gt;</c> (or double): [steps][input_size].</summary>
    NestedFeatures,
}
