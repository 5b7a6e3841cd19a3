using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LstmWorkers.Contracts.Payloads;

/// <summary>
/// Puts arrays of numbers into <see cref="Payload"/>s and gets them back. With a <see cref="Directory"/> (a volume every
/// coordinator and worker mounts at the same path), payloads over the inline limit are written there, one folder per
/// job, which the coordinator makes when the job starts (<see cref="OpenJob"/>) and removes when it ends
/// (<see cref="DeleteJob"/>); a payload put after that (a worker's late reply to a batch of a job that ended) is
/// refused, so nothing outlives its job. Without a directory everything travels inline, as little-endian bytes.
/// <see cref="InProcess"/> keeps the arrays themselves in memory, for an embedded run. Part of the wire contract: the
/// reference format is what both sides must agree on. Thread-safe.
/// </summary>
public sealed class PayloadStore
{
    private readonly int _inlineLimit;
    private readonly ConcurrentDictionary<string, Array>? _memory;

    /// <param name="directory">The shared payload directory, or null to send everything inline.</param>
    /// <param name="inlineLimit">Payloads up to this many bytes travel inside the message even with a directory.</param>
    public PayloadStore(string? directory, int inlineLimit)
        : this(directory is null ? null : Path.GetFullPath(directory), inlineLimit, null)
    {
    }

    private PayloadStore(string? directory, int inlineLimit, ConcurrentDictionary<string, Array>? memory)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("LstmWorkers needs a little-endian processor");
        }

        Directory = directory;
        _inlineLimit = inlineLimit;
        _memory = memory;
    }

    public string? Directory { get; }

    /// <summary>
    /// A store for one process that is both coordinator and worker: a payload is the array itself, neither copied
    /// nor serialized. Whoever puts an array must not change it afterwards.
    /// </summary>
    public static PayloadStore InProcess() => new(null, 0, new ConcurrentDictionary<string, Array>());

    public async Task<Payload> PutAsync<T>(Guid jobId, T[] values, CancellationToken cancellationToken) where T : unmanaged
    {
        long length = (long)values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (_memory is not null)
        {
            string key = NewKey(jobId);
            _memory[key] = values;
            return new Payload { Memory = key, Length = length };
        }

        if (Directory is null || length <= _inlineLimit)
        {
            return new Payload { Inline = MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), Length = length };
        }

        cancellationToken.ThrowIfCancellationRequested();
        string relative = NewKey(jobId) + ".bin";
        string path = Path.Combine(Directory, relative);
        try
        {
            // Straight from the array, with no copy of it in bytes (a batch's results are up to MaxBatchBytes).
            using (var file = File.OpenHandle(path + ".tmp", FileMode.CreateNew, FileAccess.Write, preallocationSize: length))
            {
                RandomAccess.Write(file, MemoryMarshal.AsBytes(values.AsSpan()), 0);
            }

            File.Move(path + ".tmp", path);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw new InvalidDataException($"job {jobId} has no payload folder in {Directory}: the job ended (or never started here)", e);
        }

        return new Payload { File = relative, Length = length };
    }

    /// <summary>Makes the job's payload folder, which every payload of the job put by reference goes into, until <see cref="DeleteJob"/>.</summary>
    public void OpenJob(Guid jobId)
    {
        if (Directory is not null)
        {
            System.IO.Directory.CreateDirectory(JobFolder(jobId));
        }
    }

    public async Task<T[]> GetAsync<T>(Payload payload, CancellationToken cancellationToken) where T : unmanaged
    {
        if (payload.Memory is { } key)
        {
            return _memory?.GetValueOrDefault(key) switch
            {
                T[] values => values,
                null => throw new InvalidDataException(
                    $"payload {key} is not in this process's memory: its job ended, or it comes from another process"),
                var other => throw new InvalidDataException($"payload {key} holds {other.GetType().Name}, not {typeof(T).Name}[]"),
            };
        }

        return payload.Inline is { } inline ? ToValues<T>(inline) : ReadFile<T>(payload, cancellationToken);
    }

    /// <summary>Removes a payload once nobody needs it (inline payloads need nothing).</summary>
    public void Delete(Payload? payload)
    {
        if (payload?.Memory is { } key)
        {
            _memory?.TryRemove(key, out _);
        }
        else if (payload?.File is not null)
        {
            File.Delete(Resolve(payload));
        }
    }

    /// <summary>Removes every payload of a job, including those of resent and duplicate batches, and the job's folder: later puts for the job are refused.</summary>
    public void DeleteJob(Guid jobId)
    {
        string prefix = jobId.ToString("N") + "/";
        foreach (string key in _memory?.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)) ?? [])
        {
            _memory!.TryRemove(key, out _);
        }

        if (Directory is null || !System.IO.Directory.Exists(Directory))
        {
            return;
        }

        // Renamed first, so that no payload can be put into it any more (a put names the job's folder), then removed.
        try
        {
            System.IO.Directory.Move(JobFolder(jobId), Path.Combine(Directory, $".{jobId:N}.{Guid.NewGuid():N}.removed"));
        }
        catch (DirectoryNotFoundException)
        {
            // never opened here, or removed already
        }

        foreach (string removed in System.IO.Directory.EnumerateDirectories(Directory, $".{jobId:N}.*.removed"))
        {
            for (int attempt = 1; System.IO.Directory.Exists(removed); attempt++)
            {
                try
                {
                    System.IO.Directory.Delete(removed, recursive: true);
                }
                catch (Exception e) when (e is IOException or AggregateException && attempt < 3)
                {
                    // a put that had begun before the rename ended inside the folder (.NET reports several as one AggregateException)
                }
            }
        }
    }

    private string JobFolder(Guid jobId) => Path.Combine(Directory!, jobId.ToString("N"));

    private static string NewKey(Guid jobId) => jobId.ToString("N") + "/" + Guid.NewGuid().ToString("N");

    private static T[] ToValues<T>(byte[] bytes) where T : unmanaged
    {
        ValueCount<T>(bytes.Length);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    /// <summary>The values in <paramref name="bytes"/> bytes of payload.</summary>
    /// <exception cref="InvalidDataException">They are not a whole number of values.</exception>
    private static int ValueCount<T>(long bytes) where T : unmanaged =>
        bytes % System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == 0
            ? checked((int)(bytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()))
            : throw new InvalidDataException($"a payload of {bytes} bytes is not a whole number of {typeof(T).Name} values");

    /// <summary>A payload file read straight into the array of its values, with no copy of it in bytes.</summary>
    private T[] ReadFile<T>(Payload payload, CancellationToken cancellationToken) where T : unmanaged
    {
        string path = Resolve(payload);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var file = File.OpenHandle(path);
            long bytes = RandomAccess.GetLength(file);
            if (bytes > Array.MaxLength)
            {
                throw new InvalidDataException($"payload {payload.File} holds {bytes} bytes, more than one array can");
            }

            var values = new T[ValueCount<T>(bytes)];
            var destination = MemoryMarshal.AsBytes(values.AsSpan());
            for (int read = 0; read < destination.Length;)
            {
                int got = RandomAccess.Read(file, destination[read..], read);
                read += got > 0 ? got : throw new InvalidDataException($"payload {payload.File} ended at {read} of its {bytes} bytes while it was read");
            }

            return values;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException(
                $"payload {payload.File} is not in {Directory}: its job ended, or this process does not share the coordinator's payload directory", e);
        }
    }

    private string Resolve(Payload payload)
    {
        if (payload.File is null)
        {
            throw new InvalidDataException("the payload is empty: it has no inline bytes, file or memory key");
        }

        if (Directory is null)
        {
            throw new InvalidDataException($"payload {payload.File} was sent by reference, but this process has no payload directory (Payloads:Directory)");
        }

        string path = Path.GetFullPath(Path.Combine(Directory, payload.File));
        return path.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidDataException($"payload reference '{payload.File}' points outside the payload directory");
    }
}
