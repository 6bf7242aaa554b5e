using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;

namespace Untangle.Host.Composition;

/// <summary>The engine's own settings: train.*, eval.* and device, with defaults and docs.</summary>
public sealed record RunSettings
{
    public static readonly IReadOnlyList<SettingSpec> TrainSpecs =
    [
        SettingSpec.Int("epochs", 50, "maximum number of training epochs"),
        SettingSpec.Int("batch_size", 2048, "users per batch (user-row methods) or triples per batch (BPR methods)"),
        SettingSpec.Int("seed", 2024, "fixes the split, initialisation and sampling"),
        SettingSpec.Int("patience", 10, "stop after this many evaluations without improvement of eval.validation_metric (0: never stop early)"),
        SettingSpec.Int("eval_every", 1, "evaluate on the validation users every N epochs"),
        SettingSpec.Int("limit_batches", 0, "train on at most the first N batches of each epoch (0: all); for speed probes and smoke runs at sizes where an epoch takes too long"),
        SettingSpec.Int("threads", 0, "CPU threads for Untangle's own kernels, such as LightGCN's graph product (0: every core)"),
        SettingSpec.Int("torch_threads", 1, "CPU threads for libtorch's intra-op pool (0: libtorch's default, every core); 1 measured fastest for embedding and graph methods on 2 cores, more helps large dense layers"),
        SettingSpec.String("row_updates", "deferred", "embedding tables a step reads by row (BPR-MF's): deferred (dense Adam's updates, each row's computed when it is next read; cost follows the batch), dense (every row takes an Adam step each batch, as torch.optim.Adam) or lazy (only the rows a batch read take a step, with per-row step counts: another optimisation)"),
    ];

    public static readonly IReadOnlyList<SettingSpec> EvalSpecs =
    [
        SettingSpec.String("metrics", "ndcg@20,recall@20,precision@20,hit@20,mrr@20", "metrics reported on validation and test, as name@K separated by commas"),
        SettingSpec.String("validation_metric", "ndcg@20", "the metric model selection and early stopping watch"),
        SettingSpec.String("select_on", "validation", "the users model selection and early stopping evaluate: validation, or test (the selection of the official FairMI and MMSSL scripts: the best test epoch, so the test numbers are optimistic; metrics.json says selected_on test)"),
        SettingSpec.String("users_without_targets", "skip", "skip: leave users without targets out of the mean; zero: count them as 0 (as the MacridVAE code)"),
        SettingSpec.Int("batch_size", 512, "users scored at once during evaluation (bounds memory: batch x items scores)"),
        SettingSpec.String("disentanglement", DefaultDisentanglement, "disentanglement metrics run on every user representation when the data set knows its users' true factors: names separated by commas, all (every loaded disentanglement-metric, dci-trees included) or none"),
        SettingSpec.Int("disentanglement_users", 3000, "at most this many users (chosen at random) are encoded for the disentanglement metrics"),
    ];

    /// <summary>The lab's suite: every metric of the DisentanglementLab plugin but the slow dci-trees.</summary>
    public const string DefaultDisentanglement = "mig,dci,sap,modularity,explicitness,factorvae,betavae";

    public static readonly SettingSpec DeviceSpec = SettingSpec.String("device", "auto", "auto | cpu | cuda | cuda:N");

    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required int Seed { get; init; }
    public required int Patience { get; init; }
    public required int EvalEvery { get; init; }
    /// <summary>train.limit_batches: at most this many batches per epoch (0: all).</summary>
    public required int LimitBatches { get; init; }
    public required int Threads { get; init; }
    public required int TorchThreads { get; init; }
    public required RowUpdates RowUpdates { get; init; }
    public required IReadOnlyList<string> Metrics { get; init; }
    public required string ValidationMetric { get; init; }
    /// <summary>eval.select_on = test: the best epoch is the best on the test users (official scripts' selection; optimistic).</summary>
    public required bool SelectOnTest { get; init; }
    public required UsersWithoutTargets WithoutTargets { get; init; }
    public required int EvalBatchSize { get; init; }
    public required string Device { get; init; }
    /// <summary>eval.disentanglement as given: "all", "none" or metric names (the resolver looks them up).</summary>
    public required string Disentanglement { get; init; }
    public required int DisentanglementUsers { get; init; }

    /// <summary>Sets libtorch's intra-op pool and Untangle's kernels (<see cref="KernelThreads"/>) for a run.</summary>
    public void ApplyThreads()
    {
        if (TorchThreads > 0) TorchSharp.torch.set_num_threads(TorchThreads);
        KernelThreads.Count = Threads;
    }

    /// <summary>
    /// libtorch's pool widened to train.threads while the scorer ranks every user (one large product
    /// and top-k per batch of users, which two threads speed up), train.torch_threads again when disposed.
    /// </summary>
    public IDisposable EvaluationThreads()
    {
        int training = TorchSharp.torch.get_num_threads();
        int scoring = Threads > 0 ? Threads : Environment.ProcessorCount;
        if (scoring <= training) return new Restore(null);
        TorchSharp.torch.set_num_threads(scoring);
        return new Restore(() => TorchSharp.torch.set_num_threads(training));
    }

    private sealed class Restore(Action? undo) : IDisposable
    {
        public void Dispose() => undo?.Invoke();
    }

    public static RunSettings From(SettingValues train, SettingValues eval, string device)
    {
        var metrics = eval.String("metrics").Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var validation = eval.String("validation_metric").Trim();
        if (!metrics.Contains(validation)) metrics.Insert(0, validation);
        var rule = eval.String("users_without_targets").Trim().ToLowerInvariant() switch
        {
            "skip" => UsersWithoutTargets.Skip,
            "zero" => UsersWithoutTargets.Zero,
            var other => throw new ConfigurationException($"eval.users_without_targets: '{other}' is not known; expected skip or zero"),
        };
        var selectOnTest = eval.String("select_on").Trim().ToLowerInvariant() switch
        {
            "validation" => false,
            "test" => true,
            var other => throw new ConfigurationException($"eval.select_on: '{other}' is not known; expected validation or test"),
        };
        var rowUpdates = train.String("row_updates").Trim().ToLowerInvariant() switch
        {
            "dense" => RowUpdates.Dense,
            "deferred" => RowUpdates.Deferred,
            "lazy" => RowUpdates.Lazy,
            var other => throw new ConfigurationException($"train.row_updates: '{other}' is not known; expected deferred, dense or lazy"),
        };
        Positive("train.epochs", train.Int("epochs"));
        Positive("train.batch_size", train.Int("batch_size"));
        Positive("train.eval_every", train.Int("eval_every"));
        Positive("eval.batch_size", eval.Int("batch_size"));
        Positive("eval.disentanglement_users", eval.Int("disentanglement_users"));
        if (train.Int("threads") < 0) throw new ConfigurationException($"train.threads: {train.Int("threads")} is negative; expected 0 (every core) or more");
        if (train.Int("torch_threads") < 0) throw new ConfigurationException($"train.torch_threads: {train.Int("torch_threads")} is negative; expected 0 (libtorch's default) or more");
        if (train.Int("limit_batches") < 0) throw new ConfigurationException($"train.limit_batches: {train.Int("limit_batches")} is negative; expected 0 (every batch) or more");
        if (train.Int("patience") < 0) throw new ConfigurationException($"train.patience: {train.Int("patience")} is negative; expected 0 (off) or more");
        return new RunSettings
        {
            Epochs = train.Int("epochs"),
            BatchSize = train.Int("batch_size"),
            Seed = train.Int("seed"),
            Patience = train.Int("patience"),
            EvalEvery = train.Int("eval_every"),
            LimitBatches = train.Int("limit_batches"),
            Threads = train.Int("threads"),
            TorchThreads = train.Int("torch_threads"),
            RowUpdates = rowUpdates,
            Metrics = metrics,
            ValidationMetric = validation,
            SelectOnTest = selectOnTest,
            WithoutTargets = rule,
            EvalBatchSize = eval.Int("batch_size"),
            Device = device,
            Disentanglement = eval.String("disentanglement").Trim(),
            DisentanglementUsers = eval.Int("disentanglement_users"),
        };
    }

    private static void Positive(string key, int value)
    {
        if (value <= 0) throw new ConfigurationException($"{key}: {value} must be positive");
    }
}
