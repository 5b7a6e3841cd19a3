using LstmWorkers.Data.Input.Columns;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>A grow-only byte buffer (a column chunk, a decompressed page, a page header), reused from one to the next.</summary>
internal sealed class PageBuffer
{
    private byte[] _bytes = [];

    /// <summary>The first <paramref name="size"/> bytes of the buffer (their content is whatever was there).</summary>
    public ArraySegment<byte> Take(int size) => new(Buffers.Ensure(ref _bytes, size), 0, size);
}
