using LstmWorkers.Contracts.Payloads;

namespace LstmWorkers.Contracts.Batches;

/// <summary>
/// Command: run the LSTM over one packed batch. The sequences are sorted by decreasing length
/// (zero-length ones last) and packed time-major like PyTorch's PackedSequence.data.
/// Arrays travel as little-endian bytes in <see cref="Payloads.Payload"/>s (inline, or by reference
/// when large): <see cref="Tokens"/> int32 [N], <see cref="Features"/> float32 [N, I]; exactly one is set.
/// </summary>
public record EncodeBatch
{
    public Guid JobId { get; init; }

    /// <summary>
    /// The payload folder (<see cref="PayloadStore.OpenJob"/>) the batch's payloads by reference go into, both ways: the one
    /// of the shard attempt that sent it, so that coordinators working on shards of one job never remove each other's
    /// payloads; <see cref="Guid.Empty"/>: the job's (<see cref="JobId"/>).
    /// </summary>
    public Guid PayloadFolder { get; init; }

    /// <summary>The job's shard this batch belongs to (a dataset's part; 0 for one file).</summary>
    public int ShardIndex { get; init; }

    /// <summary>The window of input rows this batch belongs to, counted from 0 (within the shard, when the shard is encoded
    /// on its own by one of many coordinators; across the job's shards otherwise).</summary>
    public int WindowIndex { get; init; }

    /// <summary>The batch's index within its window.</summary>
    public int BatchIndex { get; init; }

    /// <summary>Path of the model file as the worker sees it.</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the model file; a worker refuses a file with another hash.</summary>
    public string ModelSha256 { get; init; } = "";

    /// <summary>The dataset's row number of each sequence, in the batch's (sorted) order.</summary>
    public long[] Rows { get; init; } = [];

    /// <summary>[T_max]: sequences still running at each step.</summary>
    public int[] BatchSizes { get; init; } = [];

    public Payload? Tokens { get; init; }

    public Payload? Features { get; init; }

    /// <summary>False when the output itself is not wanted (only h_n/c_n or pooled vectors): the worker then returns none.</summary>
    public bool NeedOutput { get; init; } = true;

    /// <summary>Return each sequence's mean of the last layer's output over its steps ([B, D·H_out]).</summary>
    public bool NeedPooledMean { get; init; }

    /// <summary>Return each sequence's maximum of the last layer's output over its steps ([B, D·H_out]).</summary>
    public bool NeedPooledMax { get; init; }
}
