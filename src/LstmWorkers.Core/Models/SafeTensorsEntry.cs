namespace LstmWorkers.Core.Models;

/// <summary>One tensor's header entry: its type, shape and byte range in the data section.</summary>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)
{
    public long ElementCount => Tensors.Tensor<byte>.ElementCount(Shape);

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
