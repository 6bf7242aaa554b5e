using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// The "fairness" section FairMI adds to metrics.json, on the best model after testing:
/// <list type="bullet">
///   <item>attacker_auc, attacker_auc_mlp: <see cref="AttributeAttacker"/> on the users' z (what recommends);</item>
///   <item>attacker_auc_backbone, attacker_auc_mlp_backbone: the same on the frozen plain model p, the
///   backbone FairMI starts from, so one run shows both;</item>
///   <item>*_folded: each AUC as 0.5 + |AUC − 0.5| (<see cref="Folded"/>);</item>
///   <item>js_dp@10_backbone: p's JS-DP@10 on the test users (<see cref="TopLists"/>, masking as the evaluator);</item>
///   <item>js_dp@10_floor, js_dp@10_backbone_floor: the JS-DP@10 of the same top-10 lists with the
///   users' labels shuffled (mean of <see cref="Shuffles"/> permutations, group sizes kept). A model
///   whose lists ignore the attribute still has this distance, from the finite groups alone; only the
///   part of JS-DP above it is unfairness a method can remove;</item>
///   <item>sensitive_encoder_accuracy: the training accuracy of the frozen sensitive encoder.</item>
/// </list>
/// </summary>
public static class FairnessAnalysis
{
    public const int K = 10;
    public const int Shuffles = 20;

    public static IReadOnlyDictionary<string, double> Compute(
        (Tensor Users, Tensor Items) z, (Tensor Users, Tensor Items) p, double sensitiveAccuracy,
        Split split, int[] labels, int classes, int seed)
    {
        var zLists = TopLists.Of(z.Users, z.Items, split.Test, K);
        var pLists = TopLists.Of(p.Users, p.Items, split.Test, K);
        var groupOfRow = split.Test.Users.Select(u => u >= 0 ? labels[u] : 0).ToArray();
        double auc = AttributeAttacker.HeldOutAuc(z.Users, labels, classes, AttackerKind.Logistic, seed);
        double aucMlp = AttributeAttacker.HeldOutAuc(z.Users, labels, classes, AttackerKind.Mlp, seed);
        double aucBackbone = AttributeAttacker.HeldOutAuc(p.Users, labels, classes, AttackerKind.Logistic, seed);
        double aucMlpBackbone = AttributeAttacker.HeldOutAuc(p.Users, labels, classes, AttackerKind.Mlp, seed);
        return new Dictionary<string, double>
        {
            ["attacker_auc"] = auc,
            ["attacker_auc_mlp"] = aucMlp,
            ["attacker_auc_backbone"] = aucBackbone,
            ["attacker_auc_mlp_backbone"] = aucMlpBackbone,
            ["attacker_auc_folded"] = Folded(auc),
            ["attacker_auc_mlp_folded"] = Folded(aucMlp),
            ["attacker_auc_backbone_folded"] = Folded(aucBackbone),
            ["attacker_auc_mlp_backbone_folded"] = Folded(aucMlpBackbone),
            ["js_dp@10_backbone"] = JensenShannon.Distance(TopLists.Exposure(pLists, groupOfRow, classes, split.ItemCount)),
            ["js_dp@10_floor"] = ShuffledFloor(zLists, groupOfRow, classes, split.ItemCount, seed),
            ["js_dp@10_backbone_floor"] = ShuffledFloor(pLists, groupOfRow, classes, split.ItemCount, seed),
            ["sensitive_encoder_accuracy"] = sensitiveAccuracy,
        };
    }

    /// <summary>
    /// 0.5 + |AUC − 0.5|: the leakage whichever way the attacker's direction points. FairMI fits its
    /// CLUB bound on every user, which can equalise the groups over all users so exactly that the
    /// attacker's 80% and the held-out 20% differ in opposite directions (AUC well below 0.5; see
    /// <see cref="AttributeAttacker"/>): the attribute is still there, inverted.
    /// </summary>
    public static double Folded(double auc) => double.IsNaN(auc) ? auc : 0.5 + Math.Abs(auc - 0.5);

    /// <summary>Mean JS distance of the lists' exposure over <see cref="Shuffles"/> permutations of the labels of the rows that have a list.</summary>
    public static double ShuffledFloor(int[]?[] lists, int[] groupOfRow, int classes, int items, int seed)
    {
        var rows = Enumerable.Range(0, lists.Length).Where(r => lists[r] is not null).ToArray();
        var random = new Random(seed);
        double sum = 0;
        for (int t = 0; t < Shuffles; t++)
        {
            var shuffled = rows.Select(r => groupOfRow[r]).ToArray();
            random.Shuffle(shuffled);
            var groups = (int[])groupOfRow.Clone();
            for (int k = 0; k < rows.Length; k++) groups[rows[k]] = shuffled[k];
            sum += JensenShannon.Distance(TopLists.Exposure(lists, groups, classes, items));
        }
        return sum / Shuffles;
    }
}
