using LstmWorkers.Contracts.Batches;
using LstmWorkers.Contracts.Payloads;
using LstmWorkers.Core.Packing;
using LstmWorkers.Data.Input;

namespace LstmWorkers.Coordinator.Planning;

/// <summary>Builds the <see cref="EncodeBatch"/> command for a planned batch: its rows' steps packed time-major.</summary>
public static class BatchMessages
{
    public static async Task<EncodeBatch> CreateAsync(EncodeBatch template, RowChunk window, PlannedBatch batch, PayloadStore payloads,
        CancellationToken cancellationToken)
    {
        var offsets = new int[batch.Rows.Length];
        var lengths = new int[batch.Rows.Length];
        var rows = new long[batch.Rows.Length];
        for (int j = 0; j < batch.Rows.Length; j++)
        {
            int row = batch.Rows[j];
            offsets[j] = window.Offsets[row];
            lengths[j] = window.Lengths[row];
            rows[j] = window.FirstRow + row;
        }

        return template with
        {
            Rows = rows,
            BatchSizes = batch.BatchSizes,
            Tokens = window.Tokens is null ? null : await payloads.PutAsync(template.PayloadFolder,
                RnnUtils.PackRows<int>(window.Tokens, offsets, lengths, [], enforceSorted: true).Data.Data, cancellationToken),
            Features = window.Features is null ? null : await payloads.PutAsync(template.PayloadFolder,
                RnnUtils.PackRows<float>(window.Features, offsets, lengths, [window.InputSize], enforceSorted: true).Data.Data, cancellationToken),
        };
    }
}
