using System.Globalization;
using System.Text.Json;

namespace LstmWorkers.Data.Tests.Support;

/// <summary>
/// The page-version fixtures of tests/fixtures/parquet/pages (write_page_fixtures.mjs): files by arrow-rs and
/// hyparquet-writer, and pages.json with every dataset's rows and what each file holds.
/// </summary>
public static class PageFixtures
{
    private const int FormatVersion = 1;
    private const string Regenerate = "cd tests/fixtures/parquet/pages && npm ci && node write_page_fixtures.mjs";

    private static readonly Lazy<JsonElement> Manifest = new(Load);

    /// <summary>A dataset of pages.json: ids as <see cref="LstmWorkers.Data.Input.IdValues.Format"/> writes them, and each row's values (null for a null row).</summary>
    public sealed record Dataset(string SequenceColumn, int InputSize, IReadOnlyList<string> Ids, IReadOnlyList<float[]?> Sequences);

    public static string Path(string file) => Fixtures.Parquet(System.IO.Path.Combine("pages", file));

    /// <summary>Files whose every row is readable (<c>expect.rows</c>).</summary>
    public static TheoryData<string> ReadableFiles()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement file in Manifest.Value.GetProperty("files").EnumerateArray())
        {
            if (file.GetProperty("expect").TryGetProperty("rows", out _))
            {
                data.Add(file.GetProperty("file").GetString()!);
            }
        }
        return data;
    }

    /// <summary>The dataset <paramref name="file"/> was written from.</summary>
    public static Dataset DatasetOf(string file)
    {
        JsonElement entry = Manifest.Value.GetProperty("files").EnumerateArray()
            .Single(f => f.GetProperty("file").GetString() == file);
        JsonElement dataset = Manifest.Value.GetProperty("datasets").GetProperty(entry.GetProperty("dataset").GetString()!);
        string column = dataset.GetProperty("sequence_column").GetString()!;
        string idType = dataset.GetProperty("id_type").GetString()!;
        var ids = new List<string>();
        var sequences = new List<float[]?>();
        foreach (JsonElement row in dataset.GetProperty("rows").EnumerateArray())
        {
            JsonElement id = row.GetProperty("id");
            ids.Add(id.ValueKind == JsonValueKind.Null ? "null"
                : idType == "string" ? "\"" + id.GetString() + "\""
                : id.GetInt64().ToString(CultureInfo.InvariantCulture));
            JsonElement sequence = row.GetProperty(column);
            sequences.Add(sequence.ValueKind == JsonValueKind.Null ? null : Flatten(sequence).ToArray());
        }
        return new Dataset(column, dataset.GetProperty("input_size").GetInt32(), ids, sequences);
    }

    private static IEnumerable<float> Flatten(JsonElement list) =>
        list.EnumerateArray().SelectMany(e => e.ValueKind == JsonValueKind.Array ? Flatten(e) : [(float)e.GetDouble()]);

    private static JsonElement Load()
    {
        string path = System.IO.Path.Combine(Fixtures.ParquetDirectory, "pages", "pages.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"pages.json is missing; regenerate with: {Regenerate}", path);
        }
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement.Clone();
        int version = root.GetProperty("format_version").GetInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"pages.json has format_version {version}, these tests read {FormatVersion}; regenerate with: {Regenerate}");
        }
        return root;
    }
}
