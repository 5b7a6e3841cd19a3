using System.Text.Json;
using LstmWorkers.Core.Models;

namespace LstmWorkers.TestSupport;

/// <summary>
/// The committed PyTorch fixtures under <c>tests/fixtures/</c> (written by generate_fixtures.py).
/// Checks the manifest's format version so stale fixtures fail with the command that renews them.
/// </summary>
public static class Fixtures
{
    public const int FormatVersion = 1;
    public const string RegenerateCommand = "/usr/bin/python3 tests/fixtures/generate_fixtures.py";

    private static readonly Lazy<(string Root, JsonElement Manifest)> State = new(Load);

    /// <summary>The repository's root directory (the folder holding LstmWorkers.sln).</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Root, "..", ".."));

    public static string Root => State.Value.Root;

    public static JsonElement Manifest => State.Value.Manifest;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static SafeTensorsFile Open(string relative) => SafeTensorsFile.Load(PathOf(relative));

    /// <summary>Names of the manifest's entries in section <paramref name="section"/> ("cases", "packing_cases", "datasets").</summary>
    public static IEnumerable<string> Names(string section) =>
        Manifest.GetProperty(section).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

    public static JsonElement Entry(string section, string name) => Manifest.GetProperty(section).GetProperty(name);

    private static (string, JsonElement) Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "manifest.json");
            if (File.Exists(candidate))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(candidate));
                var manifest = document.RootElement.Clone();
                int version = manifest.GetProperty("format_version").GetInt32();
                if (version != FormatVersion)
                {
                    throw new InvalidOperationException(
                        $"{candidate} has format_version {version} but the tests expect {FormatVersion}: rerun `{RegenerateCommand}`");
                }

                return (Path.GetDirectoryName(candidate)!, manifest);
            }
        }

        throw new InvalidOperationException($"tests/fixtures/manifest.json not found above {AppContext.BaseDirectory}; run `{RegenerateCommand}`");
    }
}
