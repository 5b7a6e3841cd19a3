using System.Text;
using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Models;

public class SafeTensorsFileTests
{
    [Theory]
    [InlineData("x_f32")]
    [InlineData("x_f16")]
    [InlineData("x_bf16")]
    [InlineData("x_f64")]
    public void ReadFloat32_converts_every_float_dtype_exactly(string name)
    {
        var file = Fixtures.Open("dtypes.safetensors");

        var values = file.ReadFloat32(name);

        Assert.Equal(file.ReadFloat32("expected").Data, values.Data);
    }

    [Fact]
    public void Parse_of_a_file_shorter_than_its_header_length_names_the_sizes()
    {
        var bytes = new SafeTensorsBuilder().Add("w", [2], [1f, 2f]).ToBytes()[..20];

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Contains("m.safetensors: not a safetensors file (header length", error.Message);
    }

    [Fact]
    public void Parse_of_invalid_json_header_is_rejected()
    {
        var bytes = new byte[16];
        bytes[0] = 8;
        Encoding.ASCII.GetBytes("{not json").AsSpan(0, 8).CopyTo(bytes.AsSpan(8));

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Contains("header is not valid JSON", error.Message);
    }

    [Fact]
    public void Parse_of_offsets_that_do_not_match_the_shape_names_the_tensor()
    {
        var bytes = new SafeTensorsBuilder().AddRaw("lstm.weight_ih_l0", "F32", [4, 3], new byte[40]).ToBytes();

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Contains("'lstm.weight_ih_l0' (F32 [4, 3]) needs 48 bytes", error.Message);
    }

    [Fact]
    public void Parse_of_an_unsupported_dtype_lists_the_supported_ones()
    {
        var bytes = new SafeTensorsBuilder().AddRaw("w", "U8", [2], new byte[2]).ToBytes();

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Contains("unsupported dtype 'U8'", error.Message);
    }

    [Fact]
    public void Sha256_is_the_hash_of_the_whole_file()
    {
        string path = Fixtures.PathOf("models/seed_example.safetensors");

        var file = SafeTensorsFile.Load(path);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), file.Sha256);
    }
}
