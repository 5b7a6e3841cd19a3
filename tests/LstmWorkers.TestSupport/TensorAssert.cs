using System.Globalization;
using System.Text;
using Xunit.Sdk;

namespace LstmWorkers.TestSupport;

/// <summary>Element-wise comparison with |expected − actual| ≤ atol + rtol·|expected|; on failure the
/// message lists the first mismatches and the largest difference.</summary>
public static class TensorAssert
{
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol = 0, string what = "tensor")
    {
        var widened = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++)
        {
            widened[i] = actual[i];
        }

        Close(expected, widened, atol, rtol, what);
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol = 0, string what = "tensor")
    {
        var widened = new double[expected.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            widened[i] = expected[i];
        }

        Close(widened, actual, atol, rtol, what);
    }

    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol, double rtol, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} elements, got {actual.Length}");
        }

        var report = new StringBuilder();
        int failures = 0, worstIndex = -1;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]);
            bool bothNaN = double.IsNaN(expected[i]) && double.IsNaN(actual[i]);
            if (!bothNaN && (difference > worst || double.IsNaN(difference)))
            {
                worst = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                worstIndex = i;
            }

            if (!bothNaN && !(difference <= atol + rtol * Math.Abs(expected[i])) && failures++ < 5)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"  [{i}] expected {expected[i]:R}, actual {actual[i]:R}");
            }
        }

        if (failures > 0)
        {
            throw new XunitException(
                $"{what}: {failures} of {expected.Length} elements differ by more than {atol} + {rtol}·|expected|; " +
                $"largest difference {worst:G4} at [{worstIndex}]\n{report}");
        }
    }
}
