using Untangle.Contracts.Evaluation;
using Untangle.Host;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Tests.Store;

public class ExperimentStoreTests
{
    private static string NewPath() => Path.Combine(Scratch.Folder("untangle-store-").FullName, "runs", "untangle.db");

    private static StoredRun Row(string id, string experiment = "bpr-mf-synthetic") => new()
    {
        Id = id, Experiment = experiment, Status = RunStatus.Running, Folder = $"/tmp/{id}", Source = "run",
        CreatedAt = DateTimeOffset.UtcNow, SourceRevision = "0123456789abcdef0123456789abcdef01234567",
    };

    private static EpochRecord Epoch(int epoch, double loss, double? ndcg) => new(epoch, 0.5, new Dictionary<string, double> { ["bpr"] = loss, ["l2"] = 1e-4 },
        ndcg is double v ? new Dictionary<string, MetricResult> { ["ndcg@20"] = new(v, 0.01, 100, []) } : null);

    [Fact]
    public void A_run_is_recorded_with_its_epochs_and_read_back_after_reopening()
    {
        var path = NewPath();
        using (var store = ExperimentStore.Open(path))
        {
            store.Insert(Row("r1"));
            store.MarkRunning("r1", resumed: false);
            store.AppendEpoch("r1", Epoch(1, 0.69, 0.10));
            store.AppendEpoch("r1", Epoch(2, 0.60, null));
            store.AppendEpoch("r1", Epoch(3, 0.55, double.NaN));
        }

        using var reopened = ExperimentStore.Open(path);
        var run = reopened.Find("r1")!;
        run.Status.Should().Be(RunStatus.Running);
        run.StartedAt.Should().NotBeNull();
        run.SourceRevision.Should().StartWith("0123456789");
        var epochs = reopened.Epochs("r1");
        epochs.Select(e => e.Epoch).Should().Equal(1, 2, 3);
        epochs[0].Losses["bpr"].Should().Be(0.69);
        epochs[0].Validation["ndcg@20"].Should().Be(0.10);
        epochs[1].Validation.Should().BeEmpty();
        double.IsNaN(epochs[2].Validation["ndcg@20"]).Should().BeTrue("a non-finite value is stored as NULL and read back as NaN");
    }

    [Fact]
    public void Replacing_epochs_on_resume_drops_the_ones_the_checkpoint_does_not_have()
    {
        using var store = ExperimentStore.Open(NewPath());
        store.Insert(Row("r1"));
        foreach (var e in new[] { Epoch(1, 0.7, 0.1), Epoch(2, 0.6, 0.2), Epoch(3, 0.5, 0.3) }) store.AppendEpoch("r1", e);

        store.ReplaceEpochs("r1", [Epoch(1, 0.7, 0.1), Epoch(2, 0.6, 0.2)]);
        store.MarkRunning("r1", resumed: true);

        store.Epochs("r1").Select(e => e.Epoch).Should().Equal(1, 2);
        store.Find("r1")!.Resumes.Should().Be(1);
    }

    [Fact]
    public void Failed_and_interrupted_runs_keep_their_message_and_runs_are_listed_newest_first()
    {
        using var store = ExperimentStore.Open(NewPath());
        store.Insert(Row("20260101-000000-a-0001") with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2) });
        store.Insert(Row("20260101-000000-b-0002") with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        store.Fail("20260101-000000-a-0001", "step 'bpr' produced a NaN loss (NaN) at epoch 1, batch 1");
        store.Interrupt("20260101-000000-b-0002", "interrupted at epoch 2 after 3 batches");

        store.Runs().Select(r => r.Id).Should().Equal("20260101-000000-b-0002", "20260101-000000-a-0001");
        store.Find("20260101-000000-a-0001")!.Error.Should().Contain("NaN loss");
        store.Find("20260101-000000-a-0001")!.EndedAt.Should().NotBeNull();
        store.Resolve("20260101-000000-b").Id.Should().Be("20260101-000000-b-0002", "a unique prefix names a run");
        FluentActions.Invoking(() => store.Resolve("20260101")).Should().Throw<ConfigurationException>().WithMessage("'20260101' matches 2 runs*");
        FluentActions.Invoking(() => store.Resolve("nope")).Should().Throw<ConfigurationException>().WithMessage("no run 'nope'*");
    }

    [Fact]
    public async Task Processes_that_open_a_new_store_at_once_all_get_the_one_store_and_each_others_rows()
    {
        var path = NewPath();
        using var start = new Barrier(6);
        var openers = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            using var store = ExperimentStore.Open(path); // each finds no store and builds one under its own temporary name
            store.Insert(Row($"run-{i}"));
        })).ToArray();
        await Task.WhenAll(openers);

        using var reopened = ExperimentStore.Open(path);
        reopened.Runs().Select(r => r.Id).Should().BeEquivalentTo(Enumerable.Range(0, 6).Select(i => $"run-{i}"), "no store replaced another in use");
        Directory.GetFiles(Path.GetDirectoryName(path)!, "*.new*").Should().BeEmpty("the losers' temporary stores are removed");
    }

    [Fact]
    public void A_file_that_is_not_a_store_is_reported_and_left_alone()
    {
        var path = NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, garbage);

        FluentActions.Invoking(() => ExperimentStore.Open(path)).Should().Throw<CorruptStoreException>()
            .WithMessage($"experiment store {path}: not a readable SQLite store*move it aside*");
        File.ReadAllBytes(path).Should().Equal(garbage, "a damaged store is never rebuilt over");
    }

    [Fact]
    public void A_truncated_store_is_detected()
    {
        var path = NewPath();
        using (var store = ExperimentStore.Open(path))
        {
            for (int r = 0; r < 40; r++)
            {
                store.Insert(Row($"run-{r:D3}") with { Config = new string('x', 2000) });
                for (int e = 1; e <= 5; e++) store.AppendEpoch($"run-{r:D3}", Epoch(e, 0.5, 0.1));
            }
        }
        var length = new FileInfo(path).Length;
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(length / 2);

        var act = () =>
        {
            using var store = ExperimentStore.Open(path);
            store.Runs();
        };

        act.Should().Throw<CorruptStoreException>().WithMessage($"experiment store {path}: *");
    }

    [Fact]
    public void An_empty_store_file_is_reported_not_silently_recreated()
    {
        var path = NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);

        FluentActions.Invoking(() => ExperimentStore.Open(path)).Should().Throw<CorruptStoreException>().WithMessage("*the file is empty*");
    }

    [Fact]
    public void Run_ids_carry_the_time_and_a_file_safe_experiment_name()
    {
        var id = ExperimentStore.NewRunId("my exp/1");
        id.Should().MatchRegex(@"^\d{8}-\d{6}-my-exp-1-[0-9a-f]{4}$");
        new Untangle.Host.Serve.QueueItem(id, "x").Experiment.Should().Be("my-exp-1");
    }
}
