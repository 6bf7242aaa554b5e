using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi.Tests;

public class GroupsAndNegativesTests
{
    [Fact]
    public void The_sensitive_encoder_learns_the_communities_and_its_s_puts_them_in_separate_condition_groups()
    {
        var data = Communities.Build();
        var labels = data.UserAttributes["gender"].Codes;
        using var adjacency = NormalizedBipartiteGraph.Build(data.Interactions, CPU);
        using var propagation = new LightGcnPropagation(3);
        var s = SensitiveEncoder.Fit(adjacency, propagation, data.UserCount, data.ItemCount, 8, labels, 2,
            epochs: 300, learningRate: 1e-2, new Random(5), NullLogger.Instance, Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance));
        s.TrainAccuracy.Should().Be(1);
        s.Users.shape.Should().Equal(data.UserCount, 8);
        s.Items.shape.Should().Equal(data.ItemCount, 8);

        // FairMI's groups: the sign of each row's correlation with s_0. Every community-0 user must
        // share user 0's group; whether the other community lands in the other group depends on the
        // geometry, so check the partition is the community one when it splits at all.
        using var groups = ConditionGroups.Assign(s.Users);
        var g = groups.data<long>().ToArray();
        g.Take(Communities.UsersPerGroup).Should().AllBeEquivalentTo(0L);
        if (g.Skip(Communities.UsersPerGroup).Any(v => v == 1))
            g.Skip(Communities.UsersPerGroup).Should().AllBeEquivalentTo(1L);
        s.Users.Dispose();
        s.Items.Dispose();
    }

    [Fact]
    public void Groups_follow_the_sign_of_the_correlation_with_the_first_row()
    {
        using var s = tensor(new float[] { 1, -1, 2, -2, -1, 1, 3, -1, -5, 4 }, [5, 2]);
        using var groups = ConditionGroups.Assign(s);
        groups.data<long>().ToArray().Should().Equal(0, 0, 1, 0, 1);
    }

    [Fact]
    public void The_lower_bound_as_FairMI_calls_it_takes_negatives_from_the_same_group_only()
    {
        // x = p, y = z, condition = s (the recipe's call). Rows 0, 1 are group A, rows 2, 3 group B;
        // B's rows both equal row 0, so drawing negatives across groups would change every term.
        var factory = new ConditionalInfoNceFactory();
        using var bound = SlotComponent.Make(factory, "lower", new Dictionary<string, string> { ["condition_weight"] = "0" });
        double[][] rows = [[1, 0], [0, 1], [1, 0], [1, 0]];
        using var z = tensor(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), [4, 2]);
        using var s = tensor(new float[] { 1, -1, 1, -1, -1, 1, -1, 1 }, [4, 2]);
        double value = bound.Estimate(z, z, s).item<float>();
        value.Should().BeApproximately(BruteForce(rows, [0, 0, 1, 1]), 1e-5);
        value.Should().BeApproximately((Math.Log(2) - Math.Log(1 + Math.Exp(-2))) / 2, 1e-5, "group A gives log 2 - log(1 + e^-2) per row, group B's identical rows 0");
        Math.Abs(value - BruteForce(rows, [0, 0, 0, 0])).Should().BeGreaterThan(0.05, "negatives from every row give another value");
    }

    // mean_i (log |G(i)| − ℓ_i) with ℓ_i = −log(exp(x_i·y_i/τ) / Σ_{j ∈ G(i)} exp(x_i·y_j/τ)), unit rows, τ = 0.5.
    private static double BruteForce(double[][] z, int[] group)
    {
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            var members = Enumerable.Range(0, z.Length).Where(j => group[j] == group[i]).ToList();
            double Logit(int j) => (z[i][0] * z[j][0] + z[i][1] * z[j][1]) / 0.5;
            double denominator = Math.Log(members.Sum(j => Math.Exp(Logit(j))));
            sum += Math.Log(members.Count) - (denominator - Logit(i));
        }
        return sum / z.Length;
    }
}
