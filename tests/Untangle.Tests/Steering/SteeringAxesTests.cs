using Untangle.Contracts.Training;
using Untangle.Host.Steering;

namespace Untangle.Tests.Steering;

public class SteeringAxesTests
{
    /// <summary>
    /// Hand-made codes: 5 dims drawn at random, and each user's history has 10 items of which
    /// round(5 + 4·x₂) carry attribute A, so A's share is linear in coordinate 2 and in nothing else.
    /// </summary>
    private static (double[][] Codes, int[][] Histories, ItemAttributes Attributes) OneCoordinate(int users = 400)
    {
        var random = new Random(7);
        var has = Enumerable.Range(0, 100).Select(i => i < 50).ToArray();
        var attributes = new ItemAttributes([new ItemAttribute("genre:A", has)], Enumerable.Range(0, 100).Select(i => $"item {i}").ToArray());
        var codes = new double[users][];
        var histories = new int[users][];
        for (int u = 0; u < users; u++)
        {
            codes[u] = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            int inA = (int)Math.Round(5 + 4 * codes[u][2]);
            codes[u][2] = (inA - 5) / 4.0; // the code says exactly how many A items there are
            histories[u] = [.. Enumerable.Range(0, inA), .. Enumerable.Range(50, 10 - inA)];
        }
        return (codes, histories, attributes);
    }

    private static Representation Users() => Representation.Users("users", "hand-made", foldsIn: false, _ => throw new InvalidOperationException("not encoded here"));

    [Fact]
    public void An_attribute_whose_share_is_one_coordinate_gets_that_coordinate_as_its_axis()
    {
        var (codes, histories, attributes) = OneCoordinate();

        var axes = SteeringAxes.Fit(codes, histories, attributes, Users(), seed: 1);

        var axis = axes.All.Should().ContainSingle().Subject;
        axis.Name.Should().Be("genre:A");
        axis.Kind.Should().Be(AxisKind.Fitted);
        axis.Direction[2].Should().BeGreaterThan(0.999, "the share is 0.5 + 0.4·x₂ exactly");
        axis.HeldOutR2.Should().BeGreaterThan(0.99);
        // One step raises the predicted share by one standard deviation of the shares: sd(0.4·x₂)/0.4 = sd(x₂).
        var x2 = codes.Select(c => c[2]).ToArray();
        double sd = Math.Sqrt(x2.Sum(v => (v - x2.Average()) * (v - x2.Average())) / (x2.Length - 1));
        axis.Step.Should().BeApproximately(sd, 0.03 * sd);
    }

    [Fact]
    public void A_share_that_no_code_predicts_reports_an_r2_near_zero()
    {
        var (codes, histories, attributes) = OneCoordinate();
        var permuted = (int[][])histories.Clone();
        new Random(3).Shuffle(permuted); // histories no longer belong to their codes

        var axes = SteeringAxes.Fit(codes, permuted, attributes, Users(), seed: 1);

        axes.All.Single().HeldOutR2.Should().BeLessThan(0.1);
    }

    [Fact]
    public void Micro_dimensions_are_made_by_name_within_blocks_and_unknown_ones_are_not()
    {
        var (codes, histories, attributes) = OneCoordinate();
        var blocked = Representation.Users("users", "blocks", foldsIn: false, _ => throw new InvalidOperationException(),
            [new CodeBlock("concept0", 0, 3), new CodeBlock("concept1", 3, 2)]);
        var axes = SteeringAxes.Fit(codes, histories, attributes, blocked, seed: 1);

        axes.TryGet("micro:concept1.1", out var micro).Should().BeTrue();
        micro.Direction.Should().Equal(0, 0, 0, 0, 1);
        axes.TryGet("micro:concept1.2", out _).Should().BeFalse("block concept1 has 2 columns");
        axes.TryGet("genre:B", out _).Should().BeFalse();
        axes.Describe().Should().Be("genre:A, micro:concept0.0 … micro:concept1.1");
    }

    [Fact]
    public void Decorrelation_removes_the_locked_span_and_refuses_an_axis_inside_it()
    {
        double[] a = [1, 1, 0], l1 = [1, 0, 0], l2 = [2, 0, 0], l3 = [0, 1, 1];

        var basis = Decorrelation.Basis([l1, l2, l3]);
        basis.Should().HaveCount(2, "l2 is l1 scaled and adds nothing");
        SteeringAxes.Dot(basis[0], basis[1]).Should().BeApproximately(0, 1e-12);

        var moved = Decorrelation.Orthogonal(a, Decorrelation.Basis([l1]))!;
        moved.Should().Equal(0, 1, 0);
        Decorrelation.Cosine(a, l1).Should().BeApproximately(Math.Sqrt(0.5), 1e-12);
        Decorrelation.Cosine(moved, l1).Should().Be(0);

        var both = Decorrelation.Orthogonal(a, basis)!;
        foreach (var l in new[] { l1, l3 }) Decorrelation.Cosine(both, l).Should().BeApproximately(0, 1e-12);
        Decorrelation.Orthogonal([1, 0, 0], Decorrelation.Basis([l2])).Should().BeNull("the axis lies in the locked span");
    }

    [Fact]
    public void A_move_adds_delta_steps_along_the_decorrelated_direction()
    {
        var axis = new SteeringAxis("genre:A", AxisKind.Fitted, "", [1, 0], Step: 0.5, Spread: 0.4, HeldOutR2: 0.9, Attribute: "genre:A");
        var moved = Steerer.Move([1, 1], [new MovedAxis(axis, 2, [0.6, 0.8], [])]);
        moved.Should().Equal(1.6f, 1.8f);
        Steerer.Top([0.1f, 0.9f, 0.5f, 0.5f], [1], 2).Should().Equal(2, 3);
    }
}
