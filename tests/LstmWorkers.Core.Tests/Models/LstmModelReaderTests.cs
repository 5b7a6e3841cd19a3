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

    private static LstmModel Read(SafeTensorsBuilder builder) =>
        LstmModelReader.Read(SafeTensorsFile.Parse(builder.ToBytes(), "model.safetensors"));
}
