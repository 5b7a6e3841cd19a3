using System.Collections.Frozen;

namespace LstmWorkers.Core.Models;

/// <summary>The element types of the safetensors format that this reader understands.</summary>
public enum SafeTensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
}

internal static class SafeTensorsDTypes
{
    private static readonly FrozenDictionary<string, SafeTensorsDType> ByName =
        Enum.GetValues<SafeTensorsDType>().ToFrozenDictionary(d => d.ToString(), StringComparer.Ordinal);

    /// <summary>The supported names, for messages: "F64, F32, F16, BF16, I64, I32".</summary>
    public static string Names { get; } = string.Join(", ", Enum.GetNames<SafeTensorsDType>());

    /// <summary>Exactly the format's own names (case-sensitive, no numbers, no whitespace).</summary>
    public static bool TryParse(string name, out SafeTensorsDType dtype) => ByName.TryGetValue(name, out dtype);

    public static int SizeOf(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
