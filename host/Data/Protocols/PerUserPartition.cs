using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Assembles a weak-generalization split (the same users in training, validation and test) from
/// each user's interactions in a protocol's order: the last <see cref="PartSizes.Test"/> entries are
/// test targets, the <see cref="PartSizes.Validation"/> before them validation targets, the rest
/// training. Validation masks (knows) the training items; test knows the training items plus, when
/// <c>maskValidation</c>, the validation items. Every user is in both evaluation sets, also one
/// without targets there (an empty Targets row; the evaluator's rule decides how such users count).
/// </summary>
internal static class PerUserPartition
{
    private const byte TrainPart = 0, ValidationPart = 1, TestPart = 2;

    public static Split Build(string protocol, FilteredInteractions data, Func<int, int[]> entriesInOrder,
        Func<int, PartSizes> sizes, bool maskValidation)
    {
        var m = data.Matrix;
        var part = new byte[m.Count];
        for (int u = 0; u < m.Rows; u++)
        {
            var order = entriesInOrder(u);
            var s = sizes(order.Length);
            for (int j = 0; j < order.Length; j++)
                part[order[j]] = j >= order.Length - s.Test ? TestPart
                    : j >= order.Length - s.Test - s.Validation ? ValidationPart
                    : TrainPart;
        }

        var train = InteractionSubset.Where(m, k => part[k] == TrainPart);
        var validation = InteractionSubset.Where(m, k => part[k] == ValidationPart);
        var test = InteractionSubset.Where(m, k => part[k] == TestPart);
        var testKnown = maskValidation ? InteractionSubset.Where(m, k => part[k] != TestPart) : train;
        var users = Enumerable.Range(0, m.Rows).ToArray();
        return new Split
        {
            Protocol = protocol,
            Train = train,
            Validation = new EvaluationSet
            {
                Name = "validation", Users = users, DatasetUsers = data.UserToDataset, Known = train, Targets = validation,
            },
            Test = new EvaluationSet
            {
                Name = "test", Users = users, DatasetUsers = data.UserToDataset, Known = testKnown, Targets = test,
            },
            UserToDataset = data.UserToDataset,
            ItemToDataset = data.ItemToDataset,
            HeldOutUsers = false,
            Filters = data.Steps,
        };
    }
}
