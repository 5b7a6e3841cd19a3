namespace LstmWorkers.Contracts.Payloads;

/// <summary>
/// A claim check for batch data: small payloads travel <see cref="Inline"/>; large ones as
/// <see cref="File"/>, a path relative to the payload directory that coordinator and workers share
/// (<c>&lt;jobId&gt;/&lt;guid&gt;.bin</c>), so messages stay small whatever the model's width.
/// </summary>
public record Payload
{
    public byte[]? Inline { get; init; }

    public string? File { get; init; }

    /// <summary>The payload's size in bytes, inline or not.</summary>
    public long Length { get; init; }
}
