using System.Runtime.InteropServices;

namespace LstmWorkers.Core.Tensors;

/// <summary>Arrays of numbers as little-endian bytes, the wire format of batch payloads.</summary>
public static class LittleEndianBytes
{
    static LittleEndianBytes()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("LstmWorkers needs a little-endian processor");
        }
    }

    public static byte[] From<T>(ReadOnlySpan<T> values) where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    public static T[] To<T>(ReadOnlySpan<byte> bytes) where T : unmanaged
    {
        if (bytes.Length % System.Runtime.CompilerServices.Unsafe.SizeOf<T>() != 0)
        {
            throw new ArgumentException($"{bytes.Length} bytes are not a whole number of {typeof(T).Name} values", nameof(bytes));
        }

        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
