using LstmWorkers.Core.Models;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Core.Tests.Models;

public class LstmModelReaderTests
{
    public static TheoryData<string> Cases() => new(Fixtures.Names("cases"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_infers_the_configuration_pytorch_was_built_with(string name)
    {
        var entry = Fixtures.Entry("cases", name);

        var config = LstmModel.Load(Fixtures.PathOf(entry.GetProperty("model_file").GetString()!)).Config;

        Assert.Equal(entry.GetProperty("num_layers").GetInt32(), config.NumLayers);
        Assert.Equal(entry.GetProperty("input_size").GetInt32(), config.InputSize);
        Assert.Equal(entry.GetProperty("hidden_size").GetInt32(), config.HiddenSize);
        Assert.Equal(entry.GetProperty("proj_size").GetInt32(), config.ProjSize);
        Assert.Equal(entry.GetProperty("bidirectional").GetBoolean(), config.Bidirectional);
        Assert.Equal(entry.GetProperty("bias").GetBoolean(), config.HasBias);
        Assert.Equal(entry.GetProperty("has_embedding").GetBoolean(), config.HasEmbedding);
    }

    [Fact]
    public void Read_of_a_layer_with_the_wrong_input_width_names_tensor_and_shapes()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, layers: 2, bidirectional: true)
            .Remove("lstm.weight_ih_l1").AddRandom("lstm.weight_ih_l1", [28, 7], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("'lstm.weight_ih_l1' has shape [28, 7] but layer 1", error.Message);
        Assert.Contains("needs [28, 14]", error.Message);
    }

    [Fact]
    public void Read_of_a_bidirectional_model_missing_a_reverse_tensor_names_it()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, layers: 2, bidirectional: true).Remove("lstm.weight_hh_l1_reverse");

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("'lstm.weight_hh_l1_reverse' is missing", error.Message);
    }

    [Fact]
    public void Read_of_an_embedding_narrower_than_the_lstm_input_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7).AddRandom("embedding.weight", [10, 4], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("'embedding.weight' has shape [10, 4]", error.Message);
    }

    [Fact]
    public void Read_of_a_file_without_lstm_weights_lists_what_it_found()
    {
        var builder = new SafeTensorsBuilder().AddRandom("fc.weight", [2, 2], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("no LSTM weights found", error.Message);
        Assert.Contains("fc.weight", error.Message);
    }

    [Fact]
    public void Read_of_a_stray_bias_in_a_biasless_model_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, layers: 2, bias: false).AddRandom("lstm.bias_ih_l1", [28], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("'lstm.bias_ih_l1' does not fit", error.Message);
    }

    [Fact]
    public void Read_of_a_projection_not_smaller_than_hidden_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, projSize: 3).Remove("lstm.weight_hr_l0")
            .AddRandom("lstm.weight_hr_l0", [7, 7], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("proj_size 7, which must be smaller than hidden_size 7", error.Message);
    }

    [Fact]
    public void Read_ignores_tensors_of_other_modules()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7).AddRandom("classifier.weight", [3, 7], new Random(1));

        var model = Read(builder);

        Assert.Equal(7, model.Config.HiddenSize);
    }

    [Fact]
    public void Read_of_a_projection_of_rank_0_names_the_tensor_and_the_shape_it_needs()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, projSize: 3).Remove("lstm.weight_hr_l0").AddRaw("lstm.weight_hr_l0", "F32", [], new byte[4]);

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Equal("model.safetensors: 'lstm.weight_hr_l0' has shape []; expected [proj_size, hidden_size]", error.Message);
    }

    [Fact]
    public void Read_of_an_empty_projection_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, projSize: 3).Remove("lstm.weight_hr_l0").AddRaw("lstm.weight_hr_l0", "F32", [0, 7], []);

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("'lstm.weight_hr_l0' gives proj_size 0, which must be at least 1", error.Message);
    }

    [Fact]
    public void Read_of_an_lstm_without_inputs_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(0, 7);

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Equal("model.safetensors: 'lstm.weight_ih_l0' has shape [28, 0]; input_size must be at least 1", error.Message);
    }

    [Fact]
    public void Read_of_an_embedding_without_rows_is_rejected()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7).AddRaw("embedding.weight", "F32", [0, 5], []);

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Equal("model.safetensors: 'embedding.weight' has shape [0, 5]; an embedding needs at least one row", error.Message);
    }

    [Fact]
    public void Read_of_layers_with_a_gap_names_the_missing_layer()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7, layers: 3);
        foreach (string kind in new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" })
        {
            builder.Remove($"lstm.{kind}_l1");
        }

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Equal("model.safetensors: 'lstm.bias_hh_l2' is for layer 2 but 'lstm.weight_ih_l1' is missing (layers are numbered 0, 1, … without gaps)",
            error.Message);
    }

    [Theory]
    [InlineData("lstm.weight_ih_l99999999999")]
    [InlineData("lstm.weight_ih_l01")]
    [InlineData("lstm.weight_ih_l-1")]
    [InlineData("lstm.weight_xx_l0")]
    public void Read_of_a_name_under_lstm_that_is_no_parameter_is_rejected(string name)
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7).AddRandom(name, [28, 5], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Equal($"model.safetensors: '{name}' is not an nn.LSTM parameter name", error.Message);
    }

    [Fact]
    public void Read_of_integer_weights_names_the_tensor_and_its_dtype()
    {
        var builder = SafeTensorsBuilder.RandomLstm(5, 7).Remove("lstm.bias_ih_l0").AddRaw("lstm.bias_ih_l0", "I32", [28], new byte[112]);

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.Contains("tensor 'lstm.bias_ih_l0' has dtype I32; a floating-point dtype", error.Message);
    }

    [Fact]
    public void Read_of_a_file_without_lstm_weights_shows_the_names_it_found_on_one_line()
    {
        var builder = new SafeTensorsBuilder().AddRandom("fc\nlstmw: done", [2], new Random(1));

        var error = Assert.Throws<ModelFormatException>(() => Read(builder));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("'fc\\nlstmw: done'", error.Message);
    }

    /// <summary>Configurations no file under 2 GiB gives, but whose padded layout (widths rounded up to 32) overflows an array.</summary>
    [Theory]
    [InlineData(1, false, 300_000_000, 1, "'lstm.weight_ih_l0' [4, 300000000] needs 38400000000 floats")]
    [InlineData(1, false, 1, 30_000, "'lstm.weight_hh_l0' [120000, 30000] needs 3603841024 floats")]
    [InlineData(2, true, 1, 12_000, "'lstm.weight_ih_l1' [48000, 24000] needs 2304000000 floats")]
    public void CheckSizes_refuses_weights_the_kernels_cannot_hold_naming_tensor_size_and_limit(int layers, bool bidirectional, int input,
        int hidden, string expected)
    {
        var config = new LstmConfig(layers, input, hidden, ProjSize: 0, bidirectional, HasBias: true, VocabSize: 0);

        var error = Assert.Throws<ModelFormatException>(() => LstmModelReader.CheckSizes("m.safetensors", "lstm.", config));

        Assert.StartsWith("m.safetensors: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.EndsWith($"over the limit of {Array.MaxLength} (the longest .NET array)", error.Message);
    }

    [Fact]
    public void CheckSizes_accepts_every_fixture_model()
    {
        foreach (string name in Fixtures.Names("cases"))
        {
            var config = LstmModel.Load(Fixtures.PathOf(Fixtures.Entry("cases", name).GetProperty("model_file").GetString()!)).Config;

            LstmModelReader.CheckSizes("m.safetensors", "lstm.", config);
        }
    }

    private static LstmModel Read(SafeTensorsBuilder builder) =>
        LstmModelReader.Read(SafeTensorsFile.Parse(builder.ToBytes(), "model.safetensors"));
}
