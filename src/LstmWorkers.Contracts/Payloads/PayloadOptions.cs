namespace LstmWorkers.Contracts.Payloads;

/// <summary>Where large batch data goes (section "Payloads"); the coordinator and every worker must agree.</summary>
public sealed class PayloadOptions
{
    public const string SectionName = "Payloads";

    /// <summary>A directory shared by the coordinator and all workers (same path everywhere); null sends everything inline.</summary>
    public string? Directory { get; set; }

    /// <summary>Payloads up to this many bytes travel inside the message even when there is a directory.</summary>
    public int InlineBytes { get; set; } = 256 * 1024;

    public PayloadStore CreateStore() => new(string.IsNullOrWhiteSpace(Directory) ? null : Directory, InlineBytes);
}
