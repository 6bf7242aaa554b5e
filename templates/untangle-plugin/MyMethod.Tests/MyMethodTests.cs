using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace MyMethod.Tests;

/// <summary>
/// The method on its own, without the host: its declaration, and a few hundred BPR steps on two
/// groups of users who each like one half of the items. Run the method end to end with the host:
/// untangle run experiments/mymethod-synthetic.json --plugins-dir MyMethod/bin/Debug/net10.0
/// </summary>
public class MyMethodTests
{
    private const int Users = 40, Items = 20;

    [Fact]
    public void Declares_its_slot_and_hyper_parameter()
    {
        var declaration = new MyMethodMethod().Declare();

        Assert.Equal("separation", Assert.Single(declaration.Slots).Name);
        Assert.Equal(ComponentKind.MutualInformationEstimator, declaration.Slots[0].Kind);
        Assert.Equal("separation_weight", Assert.Single(declaration.HyperParameters).Name);
    }

    [Fact]
    public void Training_ranks_each_groups_items_first()
    {
        torch.manual_seed(1);
        var split = BlockSplit();
        var estimator = new CrossCovariance();
        var context = new MethodContext((slot, _) => slot == "separation" ? estimator : throw new ArgumentException(slot))
        {
            Dataset = new Dataset
            {
                Name = "blocks", Interactions = split.Train,
                UserIds = Enumerable.Range(0, Users).Select(u => $"u{u}").ToArray(),
                ItemIds = Enumerable.Range(0, Items).Select(i => $"i{i}").ToArray(),
            },
            Split = split,
            Hyper = SettingValues.Resolve("hyper", new MyMethodMethod().Declare().HyperParameters),
            Device = CPU, Seed = 1, Random = new Random(1), Logger = NullLogger.Instance,
            Epochs = 1, BatchSize = 64, BatchesPerEpoch = 1,
        };
        var graph = new MyMethodMethod().Build(context);
        var step = Assert.Single(graph.Steps);
        using var adam = torch.optim.Adam(step.Parameters, lr: 0.05);
        var random = new Random(2);

        double first = 0, last = 0;
        for (int s = 0; s < 300; s++)
        {
            using var scope = torch.NewDisposeScope();
            var (users, positives, negatives) = Triples(split.Train, random, 64);
            var batch = new TrainingBatch
            {
                Kind = BatchKind.Triples, Epoch = 1, Index = s, GlobalBatch = s, Device = CPU,
                Users = tensor(users), Positives = tensor(positives), Negatives = tensor(negatives),
            };
            var terms = new Dictionary<string, double>();
            adam.zero_grad();
            var loss = step.Loss(new StepContext(batch, (term, value) => terms[term] = value));
            loss.backward();
            adam.step();
            if (s == 0) first = terms["bpr"];
            last = terms["bpr"];
        }

        Assert.True(last < first * 0.5, $"the BPR loss fell from {first:F3} to {last:F3}");
        using (torch.no_grad())
        {
            var scores = graph.Scorer.Score(new ScoringBatch { Users = tensor(new long[] { 0, 1 }), Known = split.Train, Device = CPU });
            // User 0 likes items 0..9, user 1 items 10..19 (and has seen the first few of them).
            Assert.True(scores[0, ..10].mean().item<float>() > scores[0, 10..].mean().item<float>());
            Assert.True(scores[1, 10..].mean().item<float>() > scores[1, ..10].mean().item<float>());
        }
    }

    /// <summary>Even users saw items 0..4 of 0..9, odd users items 10..14 of 10..19.</summary>
    private static Split BlockSplit()
    {
        var rowStart = new int[Users + 1];
        var columns = new List<int>();
        for (int u = 0; u < Users; u++)
        {
            int offset = u % 2 == 0 ? 0 : Items / 2;
            for (int i = 0; i < 5; i++) columns.Add(offset + (u / 2 + i) % (Items / 2));
            columns.Sort(rowStart[u], columns.Count - rowStart[u], Comparer<int>.Default);
            rowStart[u + 1] = columns.Count;
        }
        var train = new Interactions(Users, Items, rowStart, columns.ToArray());
        var nobody = new EvaluationSet
        {
            Name = "none", Users = [], DatasetUsers = [], Known = Interactions.Empty(0, Items), Targets = Interactions.Empty(0, Items),
        };
        return new Split
        {
            Protocol = "blocks", Train = train, Validation = nobody, Test = nobody,
            UserToDataset = Enumerable.Range(0, Users).ToArray(), ItemToDataset = Enumerable.Range(0, Items).ToArray(),
        };
    }

    /// <summary>(user, seen item, unseen item) triples, as the engine samples for BatchKind.Triples.</summary>
    private static (long[] Users, long[] Positives, long[] Negatives) Triples(Interactions train, Random random, int count)
    {
        var (users, positives, negatives) = (new long[count], new long[count], new long[count]);
        for (int k = 0; k < count; k++)
        {
            int u = random.Next(Users);
            var row = train.Row(u);
            int negative;
            do negative = random.Next(Items); while (train.Contains(u, negative));
            (users[k], positives[k], negatives[k]) = (u, row[random.Next(row.Length)], negative);
        }
        return (users, positives, negatives);
    }

    /// <summary>A stand-in for the slot: the squared cross-covariance of the two halves (zero when they are uncorrelated).</summary>
    private sealed class CrossCovariance : IMutualInformationEstimator
    {
        public InformationBound Bound => InformationBound.Estimate;
        public nn.Module? Module => null;

        public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
        {
            var xc = x - x.mean([0]);
            var yc = y - y.mean([0]);
            return xc.t().mm(yc).div(x.shape[0]).pow(2).sum();
        }

        public Tensor? LearningLoss(Tensor x, Tensor y) => null;

        public void Dispose() { }
    }
}
