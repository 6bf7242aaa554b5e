using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// How a <see cref="LightGcnModel"/> trains and serves, for every method built on it (lightgcn, DGCF):
/// one Adam step per batch on BPR over the batch's propagated rows plus L2 on its ego rows (He et al.,
/// SIGIR 2020, eq. 15, as the reference code), the propagated tables cached for scoring and dropped
/// after every batch, and the propagated user and item rows as the model's representations.
/// </summary>
/// <remarks>
/// A method adds its own terms through <paramref name="extraTerm"/>, which sees the step and the whole
/// propagated tables of that step (DGCF's distance correlation between intent chunks), records them
/// and returns their weighted sum, or null for none.
/// </remarks>
public static class LightGcnTraining
{
    public static TrainingGraph Graph(LightGcnModel model, double regWeight, double learningRate, string method,
        Func<StepContext, Tensor, Tensor, Tensor?>? extraTerm = null)
    {
        var encoder = model.Encoder;
        var step = new OptimizationStep
        {
            Name = "bpr",
            // The encoder's own parameters (none for "lightgcn") train with the embeddings.
            Parameters = [.. model.parameters(), .. encoder.Module.parameters()],
            Optimizer = OptimizerSpec.Adam(learningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var (allUsers, allItems) = model.Propagate();
                var users = allUsers.index_select(0, batch.Users);
                var positives = allItems.index_select(0, batch.Positives!);
                var negatives = allItems.index_select(0, batch.Negatives!);
                var ranking = BprObjective.Loss(BprObjective.RowScores(users, positives), BprObjective.RowScores(users, negatives));
                var l2 = BprObjective.EgoL2(
                    model.Ego.Users(batch.Users), model.Ego.Items(batch.Positives!), model.Ego.Items(batch.Negatives!), regWeight);
                step.Record("bpr", ranking);
                step.Record("l2", l2);
                var loss = ranking.Plus(l2);
                return extraTerm?.Invoke(step, allUsers, allItems) is { } extra ? loss.Plus(extra) : loss;
            },
        };

        long size = model.Ego.UserTable.shape[1];
        return new TrainingGraph
        {
            Steps = [step],
            Systems = [new StageSystem($"{method}-forget-scoring-tables", Stage.AfterBatch, _ => model.ForgetScoringTables())],
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, method);
                var (users, items) = model.ScoringTables();
                return users.index_select(0, batch.Users).mm(items.t());
            }),
            Modules = new Dictionary<string, nn.Module> { ["model"] = model, ["encoder"] = encoder.Module },
            Representations =
            [
                Representation.Users("users", $"the propagated user rows the scorer uses, {size} dims", foldsIn: false, batch =>
                {
                    TrainedUsers.Require(batch.Users, method);
                    return model.ScoringTables().Users.index_select(0, batch.Users);
                })
                with { Decoder = () => [new LinearDecoderOp(model.ScoringTables().Items.t(), null)] },
                Representation.Items("items", $"the propagated item rows the scorer uses, {size} dims", () => model.ScoringTables().Items),
            ],
        };
    }
}
