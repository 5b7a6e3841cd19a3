namespace LstmWorkers.Contracts.Payloads;

/// <summary>
/// Puts batch data into <see cref="Payload"/>s and gets it back. With a <paramref name="directory"/>
/// (a volume every coordinator and worker mounts at the same path), payloads over
/// <paramref name="inlineLimit"/> bytes are written there, one folder per job, so the coordinator
/// can remove a job's payloads when it ends; without one, everything travels inline. Part of the
/// wire contract: the reference format is what both sides must agree on. Thread-safe.
/// </summary>
public sealed class PayloadStore(string? directory, int inlineLimit)
{
    public string? Directory { get; } = directory is null ? null : Path.GetFullPath(directory);

    public async Task<Payload> PutAsync(Guid jobId, byte[] bytes, CancellationToken cancellationToken)
    {
        if (Directory is null || bytes.Length <= inlineLimit)
        {
            return new Payload { Inline = bytes, Length = bytes.Length };
        }

        string relative = Path.Combine(jobId.ToString("N"), Guid.NewGuid().ToString("N") + ".bin");
        string path = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path + ".tmp", bytes, cancellationToken);
        File.Move(path + ".tmp", path);
        return new Payload { File = relative, Length = bytes.Length };
    }

    public async Task<byte[]> GetAsync(Payload payload, CancellationToken cancellationToken)
    {
        if (payload.Inline is { } inline)
        {
            return inline;
        }

        string path = Resolve(payload);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException(
                $"payload {payload.File} is not in {Directory}: its job ended, or this process does not share the coordinator's payload directory", e);
        }
    }

    /// <summary>Removes a payload's file once nobody needs it (inline payloads need nothing).</summary>
    public void Delete(Payload? payload)
    {
        if (payload?.File is not null)
        {
            File.Delete(Resolve(payload));
        }
    }

    /// <summary>Removes every payload of a job, including those of resent and duplicate batches.</summary>
    public void DeleteJob(Guid jobId)
    {
        if (Directory is not null && System.IO.Directory.Exists(Path.Combine(Directory, jobId.ToString("N"))))
        {
            System.IO.Directory.Delete(Path.Combine(Directory, jobId.ToString("N")), recursive: true);
        }
    }

    private string Resolve(Payload payload)
    {
        if (Directory is null)
        {
            throw new InvalidDataException($"payload {payload.File} was sent by reference, but this process has no payload directory (Payloads:Directory)");
        }

        string path = Path.GetFullPath(Path.Combine(Directory, payload.File!));
        return path.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidDataException($"payload reference '{payload.File}' points outside the payload directory");
    }
}
