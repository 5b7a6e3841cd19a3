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
    public void Parse_of_a_header_length_over_the_limit_names_the_limit()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, 200L * 1024 * 1024);

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Contains("header length 209715200", error.Message);
        Assert.Contains("limit of 104857600 bytes", error.Message);
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
    public void Parse_of_invalid_json_says_where_without_quoting_the_bytes()
    {
        var bytes = SafeTensorsBuilder.Assemble("{\"w\": hunter2}", []);

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.Equal("m.safetensors: the safetensors header is not valid JSON (line 1, column 7 of its 16 bytes)", error.Message);
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

    /// <summary>Headers that are valid JSON but not a valid safetensors header: each is refused naming the file and what is wrong.</summary>
    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0, "tensor 'w' has shape [-1]: dimension -1 is negative")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2147483648],"data_offsets":[0,0]}}""", 0,
        "tensor 'w' has a dimension 2147483648, over the limit of 2147483647")]
    [InlineData("""{"w":{"dtype":"F32","shape":[65536,65536,65536,65536],"data_offsets":[0,0]}}""", 0,
        "tensor 'w' (F32 [65536, 65536, 65536, 65536]) needs more than 9223372036854775807 bytes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,10]}}""", 10, "tensor 'w': \"shape\" must be an array of integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", 8, "tensor 'w': \"shape\" must be an array of integers")]
    [InlineData("""{"w":{"dtype":"1","shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'w' has unsupported dtype '1'")]
    [InlineData("""{"w":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'w': \"dtype\" must be a string")]
    [InlineData("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'w' has no \"dtype\"")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,8]}}""", 8, "tensor 'w' has no \"shape\"")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", 8, "tensor 'w' has no \"data_offsets\"")]
    [InlineData("""{"w":{"dtype":"F32","dtype":"F64","shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'w' has \"dtype\" twice")]
    [InlineData("""{"w":7}""", 0, "tensor 'w': its header entry must be a JSON object")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16,
        "tensor 'w' is listed twice")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "tensor 'w': \"data_offsets\" must be two non-negative integers [begin, end]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8, "tensor 'w': \"data_offsets\" must be two non-negative integers [begin, end]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "tensor 'w' has data_offsets [8, 0]: the end is before the begin")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 8,
        "tensor 'w' has data_offsets [8, 16], past the end of the 8-byte data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12,
        "tensors 'a' [0, 8] and 'b' [4, 12] overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20,
        "bytes [8, 12) of the 20-byte data section belong to no tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "bytes [8, 12) of the 12-byte data section belong to no tensor")]
    [InlineData("""{"__metadata__":"pt"}""", 0, "\"__metadata__\" must be a JSON object of strings")]
    [InlineData("""{"__metadata__":{"format":1}}""", 0, "\"__metadata__\" entry 'format' must be a string")]
    [InlineData("""{"__metadata__":{},"__metadata__":{}}""", 0, "\"__metadata__\" is listed twice")]
    [InlineData("""["w"]""", 0, "the safetensors header is not a JSON object")]
    public void Parse_of_a_malformed_header_names_the_file_and_the_problem(string header, int dataBytes, string expected)
    {
        var bytes = SafeTensorsBuilder.Assemble(header, new byte[dataBytes]);

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.StartsWith("m.safetensors: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_shows_a_tensor_name_on_one_line_and_shortened()
    {
        string name = "evil\nlstmw: all fine " + new string('x', 500);
        var bytes = new SafeTensorsBuilder().AddRaw(name, "U8", [2], new byte[2]).ToBytes();

        var error = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "m.safetensors"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("'evil\\nlstmw: all fine xxx", error.Message);
        Assert.Contains("…' (521 characters)", error.Message);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void Parse_keeps_metadata_and_accepts_zero_sized_tensors_anywhere()
    {
        var bytes = new SafeTensorsBuilder().Metadata("format", "pt").Add("a", [2], [1f, 2f]).AddRaw("empty", "F32", [0, 3], [])
            .Add("b", [1], [3f]).ToBytes();

        var file = SafeTensorsFile.Parse(bytes, "m.safetensors");

        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal([3f], file.ReadFloat32("b").Data);
        Assert.Equal([0, 3], file.ReadFloat32("empty").Shape);
    }

    [Fact]
    public void Sha256_is_the_hash_of_the_whole_file()
    {
        string path = Fixtures.PathOf("models/seed_example.safetensors");

        var file = SafeTensorsFile.Load(path);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), file.Sha256);
    }
}
