using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// CPU time and page faults of child processes this process has waited for (<c>getrusage(RUSAGE_CHILDREN)</c>, Linux):
/// the difference across one child's run is that child's. Fresh memory is paid for in minor page faults, counted in
/// system time; <see cref="FreshPageMicroseconds"/> says what one costs on this machine.
/// </summary>
internal readonly partial record struct ChildUsage(double UserSeconds, double SystemSeconds, long MinorFaults)
{
    private const int RusageChildren = -1;
    private const int RusageSelf = 0;

    public static ChildUsage Now()
    {
        if (!OperatingSystem.IsLinux() || GetRusage(RusageChildren, out var usage) != 0)
        {
            return default;
        }
        return new ChildUsage(usage.UserSeconds + usage.UserMicroseconds / 1e6, usage.SystemSeconds + usage.SystemMicroseconds / 1e6,
            usage.MinorFaults);
    }

    /// <summary>This process's minor page faults so far (<c>getrusage(RUSAGE_SELF)</c>; 0 where it cannot be read).</summary>
    public static long SelfMinorFaults() => OperatingSystem.IsLinux() && GetRusage(RusageSelf, out var usage) == 0 ? usage.MinorFaults : 0;

    public static ChildUsage operator -(ChildUsage after, ChildUsage before) =>
        new(after.UserSeconds - before.UserSeconds, after.SystemSeconds - before.SystemSeconds, after.MinorFaults - before.MinorFaults);

    /// <summary>Microseconds to fault in one fresh 4 KiB page (best of three passes over 256 MiB newly allocated).</summary>
    public static unsafe double FreshPageMicroseconds()
    {
        const int Bytes = 256 << 20, Page = 4096;
        double best = double.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            byte* memory = (byte*)NativeMemory.Alloc(Bytes); // glibc maps an allocation this large afresh
            var clock = Stopwatch.StartNew();
            for (long offset = 0; offset < Bytes; offset += Page)
            {
                memory[offset] = 1;
            }
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds / (Bytes / Page));
            NativeMemory.Free(memory);
        }
        return best;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, SharedText, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlocksIn, BlocksOut,
            MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }
}
