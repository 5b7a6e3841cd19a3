namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// Counts the cores that no run is using, so that a run takes a second thread only when a core
/// is idle: <see cref="Enter"/>/<see cref="Exit"/> around each run, <see cref="TryTakeExtra"/> for
/// a helper thread. Shared by every runner of one backend; thread-safe.
/// </summary>
internal sealed class CoreBudget(int cores)
{
    private int _free = cores;

    public void Enter() => Interlocked.Decrement(ref _free);

    public void Exit() => Interlocked.Increment(ref _free);

    public bool TryTakeExtra()
    {
        for (int free = Volatile.Read(ref _free); free > 0; free = Volatile.Read(ref _free))
        {
            if (Interlocked.CompareExchange(ref _free, free - 1, free) == free)
            {
                return true;
            }
        }

        return false;
    }
}
