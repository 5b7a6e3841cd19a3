namespace LstmWorkers.Data.Tests.Support;

/// <summary>Locates the committed Parquet fixtures (tests/fixtures/parquet) and recomputes their values.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string ParquetDirectory => Root.Value;

    /// <summary>The fixture's full path; fails with the command that regenerates it when absent.</summary>
    public static string Parquet(string name)
    {
        string path = Path.Combine(ParquetDirectory, name);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"Fixture {name} is missing; regenerate with: cd tests/fixtures/parquet && npm ci && node write_duckdb_fixtures.mjs", path);
        }
        return path;
    }

    // The formulas of write_duckdb_fixtures.mjs (see tests/fixtures/parquet/README.md).
    public static int Token(int row, int step) => (row * 7 + step * 3) % 50;

    public static int[] Tokens(int row, int length) => Enumerable.Range(0, length).Select(k => Token(row, k)).ToArray();

    public static float Feature(int row, int step, int feature) => row + step * 0.25f + feature * 0.125f;

    public static float[] Features(int row, int steps, int inputSize)
    {
        var values = new float[steps * inputSize];
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < inputSize; j++)
            {
                values[t * inputSize + j] = Feature(row, t, j);
            }
        }
        return values;
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "tests", "fixtures", "parquet");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/fixtures/parquet not found above " + AppContext.BaseDirectory);
    }
}
