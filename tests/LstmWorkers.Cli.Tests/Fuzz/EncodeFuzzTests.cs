using System.Buffers.Binary;
using System.Text;
using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;
using Xunit.Abstractions;

namespace LstmWorkers.Cli.Tests.Fuzz;

/// <summary>
/// Mutated model files and mutated Parquet inputs, each through the <c>lstmw encode</c> process (contract §4, §9). The
/// rule for every one: exit 0 with a complete, readable output and nothing beside it, or exit 1 with exactly one
/// <c>lstmw: error:</c> line and nothing at all in the output's directory. Never a crash, a trace, a hang, another
/// exit code. The seeds are fixed, so a failure here is reproduced by its case's name.
/// </summary>
public class EncodeFuzzTests(ITestOutputHelper log)
{
    private const int Rows = 6;

    public static TheoryData<string, int> ModelCases() => Cases(["header-length", "header-bytes", "json-field", "truncate", "data-bytes"], 4);

    public static TheoryData<string, int> InputCases() => Cases(["footer-bytes", "page-bytes", "any-bytes", "truncate", "footer-length"], 5);

    [Theory]
    [MemberData(nameof(ModelCases))]
    public async Task A_mutated_model_is_encoded_or_refused_in_one_line(string mutation, int seed)
    {
        using var temp = new TempDirectory();
        var random = new Random(seed);
        byte[] model = MutateModel(ValidModel().ToBytes(), mutation, random);
        string modelPath = temp.File("model.safetensors");
        await File.WriteAllBytesAsync(modelPath, model);

        await AssertEncodedOrRefusedAsync(temp, await ValidInputAsync(temp), modelPath);
    }

    [Theory]
    [MemberData(nameof(InputCases))]
    public async Task A_mutated_parquet_file_is_encoded_or_refused_in_one_line(string mutation, int seed)
    {
        using var temp = new TempDirectory();
        var random = new Random(seed);
        string input = await ValidInputAsync(temp);
        byte[] mutated = MutateParquet(await File.ReadAllBytesAsync(input), mutation, random);
        await File.WriteAllBytesAsync(input, mutated);

        await AssertEncodedOrRefusedAsync(temp, input, ValidModel().WriteTo(temp.File("model.safetensors")));
    }

    private static TheoryData<string, int> Cases(string[] mutations, int seeds)
    {
        var cases = new TheoryData<string, int>();
        foreach (string mutation in mutations)
        {
            for (int seed = 1; seed <= seeds; seed++)
            {
                cases.Add(mutation, seed);
            }
        }

        return cases;
    }

    private async Task AssertEncodedOrRefusedAsync(TempDirectory temp, string input, string model)
    {
        string outDirectory = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(outDirectory);
        string output = Path.Combine(outDirectory, "encoded.parquet");

        var result = await Lstmw.RunAsync("encode", input, "--model", model, "--out", output, "--device", "cpu");
        log.WriteLine($"exit {result.ExitCode}: {result.Error.Trim()}");

        if (result.ExitCode == 0)
        {
            Assert.Equal([output], Directory.EnumerateFileSystemEntries(outDirectory));
            var encoded = await EncodedFile.ReadAsync(output);
            Assert.Equal(encoded.Lengths.Length, encoded.Ids.Length);
            return;
        }

        Lstmw.AssertRefused(result);
        Assert.DoesNotContain("a bug in lstmw", result.Error); // bad input is the user's error, named as such
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDirectory));
    }

    /// <summary>A bidirectional two-layer model with a projection and an embedding of 7 tokens.</summary>
    private static SafeTensorsBuilder ValidModel() => SafeTensorsBuilder.RandomLstm(3, 5, layers: 2, bidirectional: true, projSize: 2, vocab: 7);

    private static Task<string> ValidInputAsync(TempDirectory temp)
    {
        var random = new Random(7);
        int[][] rows = [.. Enumerable.Range(0, Rows).Select(r => Enumerable.Range(0, r == 2 ? 0 : random.Next(1, 9)).Select(_ => random.Next(7)).ToArray())];
        return TokenFile.WriteAsync(temp.File("input.parquet"), rows);
    }

    private static byte[] MutateModel(byte[] file, string mutation, Random random)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        switch (mutation)
        {
            case "header-length":
                ulong[] lengths = [0, 1, 7, (ulong)headerLength - 1, (ulong)headerLength + 8, (ulong)file.Length, ulong.MaxValue, 1UL << 40];
                BinaryPrimitives.WriteUInt64LittleEndian(file, lengths[random.Next(lengths.Length)]);
                return file;
            case "header-bytes":
                for (int i = 0; i < 3; i++)
                {
                    file[8 + random.Next(headerLength)] = (byte)random.Next(256);
                }

                return file;
            case "json-field":
                return ReplaceInHeader(file, headerLength, random);
            case "truncate":
                return file[..random.Next(file.Length)];
            default: // data bytes: any float may become NaN, infinite or huge; the model is still a model
                for (int i = 0; i < 8; i++)
                {
                    file[8 + headerLength + random.Next(file.Length - 8 - headerLength)] = (byte)random.Next(256);
                }

                return file;
        }
    }

    /// <summary>Rewrites one shape dimension or data offset of the header to a value that does not fit.</summary>
    private static byte[] ReplaceInHeader(byte[] file, int headerLength, Random random)
    {
        string header = Encoding.UTF8.GetString(file, 8, headerLength);
        string[] replacements = ["-1", "0", "2147483648", "99999999999999999999", "1.5", "\"7\"", "null", "[]"];
        var numbers = System.Text.RegularExpressions.Regex.Matches(header, "[0-9]+");
        var target = numbers[random.Next(numbers.Count)];
        string mutated = header[..target.Index] + replacements[random.Next(replacements.Length)] + header[(target.Index + target.Length)..];
        byte[] json = Encoding.UTF8.GetBytes(mutated);
        var result = new byte[8 + json.Length + file.Length - 8 - headerLength];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)json.Length);
        json.CopyTo(result, 8);
        file.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + json.Length));
        return result;
    }

    private static byte[] MutateParquet(byte[] file, string mutation, Random random)
    {
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        int footerStart = file.Length - 8 - footerLength;
        switch (mutation)
        {
            case "footer-bytes":
                for (int i = 0; i < 2; i++)
                {
                    file[footerStart + random.Next(footerLength)] = (byte)random.Next(256);
                }

                return file;
            case "page-bytes":
                for (int i = 0; i < 3; i++)
                {
                    file[4 + random.Next(footerStart - 4)] = (byte)random.Next(256);
                }

                return file;
            case "any-bytes":
                file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                return file;
            case "truncate":
                return file[..random.Next(file.Length)];
            default:
                int[] lengths = [0, 1, footerLength - 1, footerLength + 1, file.Length, int.MaxValue, -1];
                BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 8), lengths[random.Next(lengths.Length)]);
                return file;
        }
    }
}
