namespace LstmWorkers.Contracts.Payloads;

/// <summary>
/// A claim check for batch data, an array of little-endian numbers: small payloads travel <see cref="Inline"/>;
/// large ones as <see cref="File"/>, a path relative to the payload directory that coordinator and workers share
/// (<c>&lt;jobId&gt;/&lt;guid&gt;.bin</c>), so messages stay small whatever the model's width. In an embedded run,
/// where coordinator and workers are one process, the array itself stays in memory and the message carries only
/// its <see cref="Memory"/> key.
/// </summary>
public record Payload
{
    public byte[]? Inline { get; init; }

    public string? File { get; init; }

    /// <summary>A key into the memory of the process that made the payload (<see cref="PayloadStore.InProcess"/>).</summary>
    public string? Memory { get; init; }

    /// <summary>The payload's size in bytes, wherever it is.</summary>
    public long Length { get; init; }
}
