namespace LstmWorkers.Coordinator.Cluster;

/// <summary>
/// A lock on one job held across processes: the lock file opened with <see cref="FileShare.None"/>, which .NET takes
/// on Unix as an exclusive <c>flock</c> (also against another open in the same process). Whoever finds it held waits and
/// tries again. The lock goes with the process that holds it, so a coordinator killed while holding it blocks nobody.
/// </summary>
internal sealed class JobLock : IDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(5), Patience = TimeSpan.FromMinutes(1);
    private readonly FileStream _file;

    private JobLock(FileStream file) => _file = file;

    /// <exception cref="IOException">The lock stayed held for a minute.</exception>
    public static JobLock Acquire(string path)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return new JobLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Retry);
            }
        }
    }

    /// <summary>The lock, or null at once when another holder has it.</summary>
    public static JobLock? TryAcquire(string path)
    {
        try
        {
            return new JobLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
