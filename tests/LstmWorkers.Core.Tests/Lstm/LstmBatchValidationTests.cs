using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Tests.Lstm;

/// <summary>
/// <see cref="LstmBatch.Validate"/>: the one check every runner makes before its kernels index a batch with raw pointers.
/// Each refusal is an <see cref="ArgumentException"/> that says what was found and what was expected.
/// </summary>
public class LstmBatchValidationTests
{
    private static readonly LstmConfig Tokens = new(NumLayers: 2, InputSize: 3, HiddenSize: 4, ProjSize: 0, Bidirectional: true, HasBias: true, VocabSize: 10);
    private static readonly LstmConfig Features = Tokens with { VocabSize = 0 };

    /// <summary>The model: Embedding(2, 1) → LSTM(1, 512, bidirectional), D·H_out = 1024.</summary>
    private static readonly LstmConfig Wide = new(1, 1, 512, 0, true, true, 2);

    [Fact]
    public void A_valid_batch_gives_its_step_offsets()
    {
        var batch = new LstmBatch(3, [3, 2, 1], [1, 2, 3, 4, 5, 6], null);

        Assert.Equal([0, 3, 5, 6], batch.Validate(Tokens));
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, "batch_sizes[1] = 3 must be in [1, 2]")]
    [InlineData(new[] { 4 }, "batch_sizes[0] = 4 must be in [1, 3]")]
    [InlineData(new[] { 3, 0 }, "batch_sizes[1] = 0 must be in [1, 3]")]
    [InlineData(new[] { -1 }, "batch_sizes[0] = -1 must be in [1, 3]")]
    public void Batch_sizes_that_are_not_sorted_or_exceed_the_batch_are_refused(int[] batchSizes, string message)
    {
        var batch = new LstmBatch(3, batchSizes, new int[batchSizes.Where(b => b > 0).Sum()], null);

        Assert.Contains(message, Assert.Throws<ArgumentException>(() => batch.Validate(Tokens)).Message);
    }

    [Fact]
    public void Packed_steps_past_the_limit_are_refused_before_their_sum_wraps()
    {
        var batch = new LstmBatch(1 << 30, [1 << 30, 1 << 30, 1 << 30], null, null);

        var error = Assert.Throws<ArgumentException>(() => batch.Validate(Tokens));

        Assert.Contains("packed steps", error.Message);
        Assert.Contains($"at most {Array.MaxLength}", error.Message);
    }

    [Fact]
    public void An_output_that_cannot_be_held_is_refused_and_a_batch_without_output_is_not()
    {
        int steps = 4_194_305;
        var batchSizes = Enumerable.Repeat(1, steps).ToArray();
        var tokens = new int[steps];

        var error = Assert.Throws<ArgumentException>(() => new LstmBatch(1, batchSizes, tokens, null).Validate(Wide));
        int[] offsets = new LstmBatch(1, batchSizes, tokens, null) { NeedOutput = false }.Validate(Wide);

        Assert.Contains("4194305 steps × 1024 would be 4294968320 values", error.Message);
        Assert.Equal(steps, offsets[^1]);
    }

    [Theory]
    [InlineData(5, "the batch has 5 token ids for 6 packed steps")]
    [InlineData(7, "the batch has 7 token ids for 6 packed steps")]
    public void Token_ids_must_be_exactly_one_per_step(int count, string message)
    {
        var batch = new LstmBatch(3, [3, 2, 1], new int[count], null);

        Assert.Contains(message, Assert.Throws<ArgumentException>(() => batch.Validate(Tokens)).Message);
    }

    [Fact]
    public void A_token_id_outside_the_vocabulary_is_refused()
    {
        var batch = new LstmBatch(1, [1, 1], [3, 10], null);

        Assert.Contains("token id 10 is outside [0, 10)", Assert.Throws<ArgumentException>(() => batch.Validate(Tokens)).Message);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(19)]
    public void Features_must_be_exactly_input_size_per_step(int count)
    {
        var batch = new LstmBatch(3, [3, 2, 1], null, new float[count]);

        Assert.Contains($"the batch has {count} features for 6 packed steps × 3", Assert.Throws<ArgumentException>(() => batch.Validate(Features)).Message);
    }

    [Fact]
    public void The_input_must_be_one_the_model_takes()
    {
        Assert.Contains("the model takes token ids or 3 embedded features per step; the batch has both",
            Assert.Throws<ArgumentException>(() => new LstmBatch(1, [1], [0], new float[3]).Validate(Tokens)).Message);
        Assert.Equal([0, 1], new LstmBatch(1, [1], null, new float[3]).Validate(Tokens));
        Assert.Contains("the model takes 3 features per step; the batch has token ids",
            Assert.Throws<ArgumentException>(() => new LstmBatch(1, [1], [0], null).Validate(Features)).Message);
        Assert.Contains("the batch has no input",
            Assert.Throws<ArgumentException>(() => new LstmBatch(1, [1], null, null).Validate(Features)).Message);
    }

    [Fact]
    public void An_initial_state_of_the_wrong_shape_is_refused()
    {
        var initial = new LstmState(new Tensor<float>(4, 2, 4), new Tensor<float>(4, 3, 4));
        var batch = new LstmBatch(3, [3], [0, 1, 2], null) { Initial = initial };

        Assert.Contains("h_0 has shape [4, 2, 4]; [4, 3, 4] was expected", Assert.Throws<ArgumentException>(() => batch.Validate(Tokens)).Message);
    }
}
