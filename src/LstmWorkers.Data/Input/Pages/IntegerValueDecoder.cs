using System.Numerics;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>INT32 and INT64 values: PLAIN, BYTE_STREAM_SPLIT and DELTA_BINARY_PACKED.</summary>
internal sealed class IntegerValueDecoder<T> : FixedWidthValueDecoder<T> where T : unmanaged, IBinaryInteger<T>
{
    protected override void DecodeOther(Encoding encoding, ReadOnlySpan<byte> data, Span<T> destination)
    {
        if (encoding == Encoding.DELTA_BINARY_PACKED)
        {
            DeltaBinaryPacked.Decode(data, destination);
            return;
        }
        base.DecodeOther(encoding, data, destination);
    }
}
