using System.Text.Json;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;

namespace LstmWorkers.GpuCheck;

/// <summary>Every PyTorch fixture case (tests/fixtures/manifest.json) through a runner, against torch's float64 results.</summary>
public static class FixtureCheck
{
    /// <summary>Returns (cases, failures, max abs error); prints one line per case.</summary>
    public static (int Cases, int Failures, double MaxError) Run(string fixtures, Func<LstmModel, ILstmRunner> load, TextWriter log)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixtures, "manifest.json")));
        int cases = 0, failures = 0;
        double worst = 0;
        foreach (var entry in manifest.RootElement.GetProperty("cases").EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var model = LstmModel.Load(Path.Combine(fixtures, entry.Value.GetProperty("model_file").GetString()!));
            var file = SafeTensorsFile.Load(Path.Combine(fixtures, entry.Value.GetProperty("case_file").GetString()!));
            var input = file.Contains("tokens") ? new Embedding(model.Embedding!).Forward(file.ReadInt64("tokens")) : file.ReadFloat32("input");
            var lengths = Array.ConvertAll(file.ReadInt64("lengths").Data, v => (int)v);
            var state = file.Contains("h0") ? new LstmState(file.ReadFloat32("h0"), file.ReadFloat32("c0")) : null;
            var packed = RnnUtils.Pack(input, lengths, batchFirst: true, enforceSorted: false);
            var featureModel = model.Embedding is null ? model : new LstmModel(model.Config with { VocabSize = 0 },
                Enumerable.Range(0, model.Config.NumLayers * model.Config.NumDirections)
                    .Select(k => model.Weights(k / model.Config.NumDirections, k % model.Config.NumDirections)).ToArray(), null, model.Sha256);
            using var runner = load(featureModel);
            var (output, final) = new LstmModule(runner).Forward(packed, state);
            var (error, ok) = Compare(file.ReadFloat64("packed_output").Data, output.Data.Data);
            var (hError, hOk) = Compare(file.ReadFloat64("h_n").Data, final.H.Data);
            var (cError, cOk) = Compare(file.ReadFloat64("c_n").Data, final.C.Data);
            double caseError = Math.Max(error, Math.Max(hError, cError));
            bool passed = ok && hOk && cOk;
            log.WriteLine($"  fixture {entry.Name,-40} max |err| {caseError:E2} {(passed ? "ok" : "FAIL (1e-5 + 1e-5·|x|)")}");
            cases++;
            failures += passed ? 0 : 1;
            worst = Math.Max(worst, caseError);
        }

        return (cases, failures, worst);
    }

    /// <summary>Max |expected − actual| and whether every element is within 1e-5 + 1e-5·|expected|.</summary>
    public static (double MaxError, bool Ok) Compare(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual)
    {
        double worst = 0;
        bool ok = expected.Length == actual.Length;
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]);
            worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
            ok &= difference <= 1e-5 + 1e-5 * Math.Abs(expected[i]);
        }

        return (worst, ok);
    }
}
