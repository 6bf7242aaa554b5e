using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd.Tests;

/// <summary>PAMD's pretraining losses on hand-made rows.</summary>
public class LossTests
{
    private static Tensor Rows(params float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void Similarity_is_the_mean_squared_difference_of_the_commons()
    {
        using var scope = NewDisposeScope();
        var cv = Rows([1, 2], [0, 0]);
        var ct = Rows([1, 0], [3, 0]);
        // (0 + 4 + 9 + 0) / 4
        PamdLosses.Similarity(cv, ct).item<float>().Should().BeApproximately(13f / 4, 1e-6f);
        PamdLosses.Similarity(cv, cv).item<float>().Should().Be(0);
    }

    [Fact]
    public void Orthogonality_is_the_mean_squared_row_dot_product_and_zero_for_orthogonal_rows()
    {
        using var scope = NewDisposeScope();
        var sv = Rows([1, 0], [1, 1]);
        var st = Rows([0, 5], [2, 1]);
        // row dots 0 and 3: (0 + 9) / 2
        PamdLosses.Orthogonality(sv, st).item<float>().Should().BeApproximately(4.5f, 1e-6f);
        PamdLosses.Orthogonality(sv, Rows([0, 1], [1, -1])).item<float>().Should().Be(0);
    }

    [Fact]
    public void Orthogonality_matches_the_infobounds_orthogonality_estimator_that_fills_the_slot()
    {
        using var scope = NewDisposeScope();
        var sv = Rows([1, 2, 3], [0, -1, 4]);
        var st = Rows([2, 0, 1], [1, 1, 1]);
        using var estimator = new InfoBounds.OrthogonalityPenalty();
        estimator.Estimate(sv, st).item<float>().Should().BeApproximately(PamdLosses.Orthogonality(sv, st).item<float>(), 1e-6f);
    }

    [Fact]
    public void Decoder_ordering_matches_the_formula_row_by_row()
    {
        using var scope = NewDisposeScope();
        var target = Rows([1, 0], [0, 2]);
        var common = Rows([1, 0], [0, 1]);   // cos 1, 1
        var full = Rows([1, 1], [1, 1]);     // cos 1/√2, 1/√2
        var specific = Rows([0, 1], [-1, 0]); // cos 0, 0
        double tau = 0.5;
        double p1 = Math.Exp(1 / tau), p2 = Math.Exp(Math.Sqrt(0.5) / tau), n = Math.Exp(0 / tau);
        double expected = -Math.Log(p1 / (p1 + p2 + n)) - Math.Log(p2 / (p2 + n));
        PamdLosses.DecoderOrdering(target, full, common, specific, tau).item<float>().Should().BeApproximately((float)expected, 1e-5f);
    }

    [Fact]
    public void Decoder_ordering_is_lower_when_the_common_decoding_matches_the_target_best()
    {
        using var scope = NewDisposeScope();
        var target = Rows([1, 0, 0], [0, 1, 0], [0, 0, 1]);
        var best = target.clone();
        var middle = Rows([1, 1, 0], [0, 1, 1], [1, 0, 1]);
        var worst = Rows([0, 1, 0], [0, 0, 1], [1, 0, 0]);
        var ordered = PamdLosses.DecoderOrdering(target, fromFull: middle, fromCommon: best, fromSpecific: worst, 0.5).item<float>();
        var reversed = PamdLosses.DecoderOrdering(target, fromFull: middle, fromCommon: worst, fromSpecific: best, 0.5).item<float>();
        var swapped = PamdLosses.DecoderOrdering(target, fromFull: best, fromCommon: middle, fromSpecific: worst, 0.5).item<float>();
        ordered.Should().BeLessThan(swapped, "the common decoding must beat the full one");
        swapped.Should().BeLessThan(reversed, "and both must beat the specific one");
    }

    [Fact]
    public void Decoder_ordering_compares_each_row_with_its_own_specific_decoding_not_a_batch_sum()
    {
        using var scope = NewDisposeScope();
        // Row 0's specific decoding is bad for row 0; adding a second row whose specific decoding is
        // excellent for itself must not change row 0's terms (the official code's batch sum would).
        var one = PamdLosses.DecoderOrdering(Rows([1, 0]), Rows([1, 1]), Rows([1, 0]), Rows([0, 1]), 0.5).item<float>();
        var two = PamdLosses.DecoderOrdering(Rows([1, 0], [1, 0]), Rows([1, 1], [1, 1]), Rows([1, 0], [1, 0]), Rows([0, 1], [0, 1]), 0.5).item<float>();
        two.Should().BeApproximately(one, 1e-6f);
        var mixed = PamdLosses.DecoderOrdering(Rows([1, 0], [0, 1]), Rows([1, 1], [1, 1]), Rows([1, 0], [0, 1]), Rows([0, 1], [0, 1]), 0.5).item<float>();
        mixed.Should().BeGreaterThan(one, "row 1's specific decoding equals its target, so only row 1's terms grow");
    }

    [Fact]
    public void Reconstruction_is_the_mean_squared_error_of_the_common_decoding()
    {
        using var scope = NewDisposeScope();
        PamdLosses.Reconstruction(Rows([1, 2]), Rows([1, 4])).item<float>().Should().BeApproximately(2f, 1e-6f);
    }

    [Fact]
    public void Pointwise_loss_is_the_log_loss_of_the_positive_and_the_negative()
    {
        using var scope = NewDisposeScope();
        var loss = PointwiseObjective.Pointwise(tensor(new[] { 2f }), tensor(new[] { -1f })).item<float>();
        double expected = -Math.Log(1 / (1 + Math.Exp(-2))) - Math.Log(1 - 1 / (1 + Math.Exp(1)));
        loss.Should().BeApproximately((float)expected, 1e-5f);
        var bpr = PointwiseObjective.Loss(RecommendationObjective.Bpr, tensor(new[] { 2f }), tensor(new[] { -1f })).item<float>();
        bpr.Should().BeApproximately((float)Math.Log(1 + Math.Exp(-3)), 1e-5f);
    }
}
