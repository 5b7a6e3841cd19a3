using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LstmWorkers.Data.Input.Pages;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// <c>lstmw-bench read FILE... [--reps N]</c>: the sequence column (the file's list column) of every row group, its
/// values and both levels, read three ways, one after another in each pass: by Parquet.Net's
/// <c>ReadRawAsync</c> (what <c>DatasetReader</c> falls back to for the v1 chunks our decoder does not read), by our
/// page decoder (<c>RawColumnReader</c>, what it reads every chunk with) and by ParquetSharp, Apache Arrow's C++
/// reader (<c>ColumnReader.ReadBatch</c>, in pieces of 1 M values). Each pass allocates its buffers as a job's read
/// does (once, for the largest row group) and reports its time and the fresh memory it faulted in. The readers must
/// agree on the rows and the sum of the values.
/// </summary>
public static class ParquetReadBench
{
    private const int SharpPiece = 1 << 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int reps = 3;
        var files = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length)
            {
                reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                files.Add(args[i]);
            }
        }
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: lstmw-bench read FILE... [--reps N]");
            return 2;
        }

        foreach (string file in files)
        {
            await using var stream = File.OpenRead(file);
            await using var reader = await ParquetReader.CreateAsync(stream);
            DataField leaf = reader.Schema.GetDataFields().First(f => f.MaxRepetitionLevel > 0);
            int result = leaf.ClrType == typeof(float) ? await CompareAsync<float>(file, reader, leaf, reps)
                : leaf.ClrType == typeof(int) ? await CompareAsync<int>(file, reader, leaf, reps)
                : Unsupported(leaf);
            if (result != 0)
            {
                return result;
            }
        }
        return 0;
    }

    private static int Unsupported(DataField leaf)
    {
        Console.Error.WriteLine($"the list column '{leaf.Path}' holds {leaf.ClrType.Name}; this benchmark reads float and int lists");
        return 2;
    }

    private static async Task<int> CompareAsync<T>(string file, ParquetReader reader, DataField leaf, int reps)
        where T : unmanaged
    {
        long[] groupValues = [.. reader.RowGroups.Select(g => g.GetMetadata(leaf)!.MetaData!.NumValues)];
        long values = groupValues.Sum();
        int largest = (int)groupValues.Max();
        long bytes = values * Marshal.SizeOf<T>();
        Console.WriteLine();
        Console.WriteLine(Invariant($"{file}: column '{leaf.Path}', {reader.RowGroupCount} row group(s), {values:N0} values ({bytes / 1e6:0} MB), {new FileInfo(file).Length / 1e6:0} MB on disk"));
        var readers = new (string Name, Func<Task<(long Rows, double Sum)>> Read)[]
        {
            ("Parquet.Net ReadRawAsync", () => ParquetNetAsync<T>(reader, leaf, largest)),
            ("our page decoder", () => OursAsync<T>(file, reader, leaf, largest)),
            ("ParquetSharp ReadBatch", () => Task.FromResult(Sharp<T>(file))),
        };
        var times = readers.Select(_ => new List<(double Seconds, long Faults)>()).ToArray();
        (long Rows, double Sum)? expected = null;
        for (int pass = 0; pass <= reps; pass++)
        {
            for (int r = 0; r < readers.Length; r++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                long faults = ChildUsage.SelfMinorFaults();
                var clock = Stopwatch.StartNew();
                var got = await readers[r].Read();
                double seconds = clock.Elapsed.TotalSeconds;
                faults = ChildUsage.SelfMinorFaults() - faults;
                expected ??= got;
                if (got.Rows != expected.Value.Rows || Math.Abs(got.Sum - expected.Value.Sum) > 1e-6 * Math.Max(1, Math.Abs(expected.Value.Sum)))
                {
                    Console.Error.WriteLine(Invariant($"{readers[r].Name} read {got.Rows} rows summing to {got.Sum}, not {expected.Value.Rows} and {expected.Value.Sum}"));
                    return 1;
                }
                if (pass > 0)
                {
                    times[r].Add((seconds, faults));
                }
            }
        }

        Console.WriteLine(Invariant($"  {expected!.Value.Rows:N0} rows; best of {reps} passes, and the fresh memory of that pass"));
        for (int r = 0; r < readers.Length; r++)
        {
            var (best, faults) = times[r].MinBy(t => t.Seconds);
            Console.WriteLine(Invariant($"  {readers[r].Name,-26} {best:0.000} s  {bytes / best / 1e6,6:0} MB/s of values  {values / best / 1e6,6:0.0} M values/s  fresh memory {faults * 4096 / 1e9:0.00} GB"));
        }
        return 0;
    }

    private static async Task<(long Rows, double Sum)> ParquetNetAsync<T>(ParquetReader reader, DataField leaf, int largest)
        where T : unmanaged
    {
        var values = new T[largest];
        var definitions = new int[largest];
        var repetitions = new int[largest];
        long rows = 0;
        double sum = 0;
        foreach (ParquetRowGroupReader group in reader.RowGroups)
        {
            int n = (int)group.GetMetadata(leaf)!.MetaData!.NumValues;
            await group.ReadRawAsync(leaf, values.AsMemory(0, n), definitions.AsMemory(0, n), repetitions.AsMemory(0, n));
            (long r, double s) = Tally<T>(values.AsSpan(0, n), repetitions.AsSpan(0, n));
            rows += r;
            sum += s;
        }
        return (rows, sum);
    }

    private static async Task<(long Rows, double Sum)> OursAsync<T>(string file, ParquetReader reader, DataField leaf, int largest)
        where T : unmanaged
    {
        var values = new T[largest];
        var definitions = new int[largest];
        var repetitions = new int[largest];
        var columnReader = new RawColumnReader();
        using var pageFile = new PageFile(file);
        long rows = 0;
        double sum = 0;
        foreach (ParquetRowGroupReader group in reader.RowGroups)
        {
            int n = (int)group.GetMetadata(leaf)!.MetaData!.NumValues;
            await columnReader.ReadAsync(group, leaf, pageFile, values.AsMemory(0, n), definitions.AsMemory(0, n), repetitions.AsMemory(0, n), CancellationToken.None);
            (long r, double s) = Tally<T>(values.AsSpan(0, n), repetitions.AsSpan(0, n));
            rows += r;
            sum += s;
        }
        return (rows, sum);
    }

    private static (long Rows, double Sum) Sharp<T>(string file)
        where T : unmanaged
    {
        using var reader = new ParquetSharp.ParquetFileReader(file);
        int column = Enumerable.Range(0, reader.FileMetaData.NumColumns).First(c => reader.FileMetaData.Schema.Column(c).MaxRepetitionLevel > 0);
        var values = new T[SharpPiece];
        var definitions = new short[SharpPiece];
        var repetitions = new short[SharpPiece];
        long rows = 0;
        double sum = 0;
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var columnReader = (ParquetSharp.ColumnReader<T>)group.Column(column);
            while (columnReader.HasNext)
            {
                long levels = columnReader.ReadBatch(SharpPiece, definitions, repetitions, values, out long read);
                rows += repetitions.AsSpan(0, (int)levels).Count((short)0);
                sum += Sum<T>(values.AsSpan(0, (int)read));
            }
        }
        return (rows, sum);
    }

    private static (long Rows, double Sum) Tally<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> repetitions)
        where T : unmanaged => (repetitions.Count(0), Sum(values));

    private static double Sum<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        double sum = 0;
        if (typeof(T) == typeof(float))
        {
            foreach (float v in MemoryMarshal.Cast<T, float>(values))
            {
                sum += v;
            }
        }
        else
        {
            foreach (int v in MemoryMarshal.Cast<T, int>(values))
            {
                sum += v;
            }
        }
        return sum;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
