using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid.Tests;

public class CodebookTests
{
    [Fact]
    public void The_multimodal_EMA_update_gives_the_values_worked_out_by_hand()
    {
        // K = 2 codes of width 1, gamma = 0.5, no smoothing. Counts (1, 1), weights (1, 2).
        // Image: vectors 0, 4 -> codes 0, 1. Text (same items): vectors 2, 6 -> codes 0, 0.
        // Image's update: N = 0.5(1,1) + 0.5(1,1) = (1, 1); moved = 0.5·own (0, 4) + 0.5·partner (2, 6) = (1, 5);
        //   W = 0.5(1, 2) + 0.5(1, 5) = (1, 3.5).
        // Text's update: N = 0.5(1,1) + 0.5(2, 0) = (1.5, 0.5); own = (2+6, 0) = (8, 0), partner = (0+4, 0) = (4, 0);
        //   moved = (6, 0); W = 0.5(1, 3.5) + 0.5(6, 0) = (3.5, 1.75); e = W / N = (7/3, 3.5).
        using var count = tensor(new float[] { 1, 1 });
        using var weight = tensor(new float[] { 1, 2 }, [2, 1]);
        var vectors = new[] { tensor(new float[] { 0, 4 }, [2, 1]), tensor(new float[] { 2, 6 }, [2, 1]) };
        var codes = new[] { tensor(new long[] { 0, 1 }), tensor(new long[] { 0, 0 }) };

        var (n, w, e) = MultimodalEma.Update(count, weight, vectors, codes, decay: 0.5, epsilon: 0);

        n.data<float>().ToArray().Should().BeEquivalentTo(new[] { 1.5f, 0.5f }, o => o.WithStrictOrdering());
        w.data<float>().ToArray().Should().BeEquivalentTo(new[] { 3.5f, 1.75f }, o => o.WithStrictOrdering());
        e.data<float>()[0].Should().BeApproximately(7f / 3f, 1e-5f);
        e.data<float>()[1].Should().BeApproximately(3.5f, 1e-5f);
    }

    [Fact]
    public void Laplace_smoothing_keeps_the_total_count_and_lifts_unused_codes_above_zero()
    {
        using var count = zeros(3);
        using var weight = ones(3, 2);
        var (n, _, _) = MultimodalEma.Update(count, weight, [ones(4, 2), ones(4, 2)], [zeros(4, dtype: int64), zeros(4, dtype: int64)], decay: 0.9, epsilon: 1e-2);

        var counts = n.data<float>().ToArray();
        counts.Sum().Should().BeApproximately((float)(0.9 * 0.4 + 0.4), 1e-5f);
        counts[1].Should().BeGreaterThan(0f);
        counts[1].Should().Be(counts[2]);
    }

    [Fact]
    public void The_commitment_loss_weights_the_own_codes_twice_the_partners_and_sends_no_gradient_to_the_codes()
    {
        // Image commons (1, 0): own code (0, 0), MSE 0.5; partner code (1, 1), MSE 0.5 → 0.25 (2·0.5 + 0.5) = 0.375.
        // Text commons (0, 0): own code (1, 1), MSE 1; partner code (0, 0), MSE 0 → 0.25 (2·1 + 0) = 0.5.
        var zImage = tensor(new float[] { 1, 0 }, [1, 2]).requires_grad_();
        var zText = tensor(new float[] { 0, 0 }, [1, 2]).requires_grad_();
        var qImage = tensor(new float[] { 0, 0 }, [1, 2]).requires_grad_();
        var qText = tensor(new float[] { 1, 1 }, [1, 2]).requires_grad_();

        var losses = CommitmentLoss.PerModality([zImage, zText], [qImage, qText], beta: 0.25);

        losses[0].item<float>().Should().BeApproximately(0.375f, 1e-6f);
        losses[1].item<float>().Should().BeApproximately(0.5f, 1e-6f);
        (losses[0] + losses[1]).backward();
        zImage.grad.Should().NotBeNull();
        qImage.grad.Should().BeNull();
        qText.grad.Should().BeNull();
    }

    [Fact]
    public void A_code_unchosen_for_longer_than_dead_after_is_reset_onto_an_active_code()
    {
        var counters = new long[4];
        var ever = new bool[4];
        var random = new Random(3);

        DeadCodeReset.Plan(counters, ever, [0], deadAfter: 2, activeWithin: 2, random).Should().BeEmpty();
        DeadCodeReset.Plan(counters, ever, [0], deadAfter: 2, activeWithin: 2, random).Should().BeEmpty();
        counters.Should().Equal(0, 2, 2, 2);
        var plan = DeadCodeReset.Plan(counters, ever, [1], deadAfter: 2, activeWithin: 2, random);

        // Codes 2 and 3 have gone 3 batches unchosen; 0 (chosen a batch ago) and 1 (now) are active.
        plan.Select(p => p.Dead).Should().Equal(2, 3);
        plan.Select(p => p.Source).Should().OnlyContain(s => s == 0 || s == 1);
        counters.Should().Equal(1, 0, 0, 0);
        ever.Should().Equal(true, true, false, false);
    }

    [Fact]
    public void No_code_is_reset_while_no_code_has_ever_been_chosen()
    {
        var counters = new long[] { 5, 5 };
        DeadCodeReset.Plan(counters, new bool[2], [], deadAfter: 1, activeWithin: 10, new Random(1)).Should().BeEmpty();
    }

    [Fact]
    public void The_codebook_resets_dead_codes_to_a_chosen_code_plus_small_noise_and_keeps_the_EMA_weight_consistent()
    {
        using var codebook = new SharedCodebook(codes: 3, size: 2, decay: 0.99, deadAfter: 0, activeWithin: 5, new Random(1), CPU);
        var z = tensor(new float[] { 0.5f, -0.5f, 0.5f, -0.5f }, [2, 2]);
        using var codes = codebook.Assign(z);
        long chosen = codes.data<long>()[0];
        codes.data<long>().ToArray().Should().OnlyContain(c => c == chosen);

        codebook.Update([z, z], [codes, codes], new Random(2));

        codebook.Resets.Should().Be(2);
        var e = codebook.Embedding;
        for (long k = 0; k < 3; k++)
        {
            (e[k] - e[chosen]).abs().max().item<float>().Should().BeLessThanOrEqualTo((float)(2 * SharedCodebook.ResetNoise) + 1e-6f);
        }
        // The EMA weight of a reset code is vector × count, so the next update starts from the reset vector.
        var state = codebook.state_dict();
        for (long k = 0; k < 3; k++)
            if (k != chosen)
                (state["ema_weight"][k] - e[k] * state["ema_count"][k]).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void Assign_picks_the_nearest_code_and_the_straight_through_value_is_the_code_with_the_identity_gradient()
    {
        using var codebook = new SharedCodebook(codes: 4, size: 2, decay: 0.99, deadAfter: 300, activeWithin: 100, new Random(5), CPU);
        var e = codebook.Embedding;
        var z = (e.index_select(0, tensor(new long[] { 2, 0 })) + 1e-4).requires_grad_();
        var codes = codebook.Assign(z);
        codes.data<long>().ToArray().Should().Equal(2, 0);

        var q = codebook.Lookup(codes);
        var st = SharedCodebook.StraightThrough(z, q);
        (st - q).abs().max().item<float>().Should().BeLessThan(1e-6f);
        st.sum().backward();
        z.grad!.data<float>().ToArray().Should().OnlyContain(g => g == 1f);
    }
}
