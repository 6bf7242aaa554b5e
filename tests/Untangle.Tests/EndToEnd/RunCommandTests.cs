using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// The host as a user runs it: a separate process on the built Untangle.Host.dll beside the tests,
/// with the plugins the build copied there.
/// </summary>
public class RunCommandTests
{
    private static readonly string Repo = HostProcess.Repo;

    /// <summary>Runs the host with a store of its own, so tests never write the repository's runs/untangle.db.</summary>
    private static (int Code, string Out, string Err) Host(string workingDirectory, params string[] args) =>
        args.Length > 0 && args[0] == "plugins"
            ? HostProcess.Run(workingDirectory, args)
            : HostProcess.Run(workingDirectory, [.. args, "--store", Path.Combine(Scratch.Folder("untangle-store-").FullName, "untangle.db")]);

    [Fact]
    public void Run_trains_the_default_experiment_and_writes_its_results()
    {
        var outDir = Path.Combine(Scratch.Folder("untangle-run-").FullName, "out");

        var (code, stdout, stderr) = Host(Repo, "run", "--set", "train.epochs=2", "--set", "dataset.users=200", "--set", "dataset.items=120", "--out", outDir);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("ndcg@20").And.Contain("best epoch");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var root = metrics.RootElement;
        root.GetProperty("experiment").GetString().Should().Be("lightgcn-synthetic");
        root.GetProperty("method").GetString().Should().Be("lightgcn");
        root.GetProperty("dataset").GetProperty("users").GetInt32().Should().Be(200);
        root.GetProperty("dataset").GetProperty("items").GetInt32().Should().Be(120);
        root.GetProperty("best_epoch").GetInt32().Should().BeInRange(1, 2);
        root.GetProperty("test").GetProperty("ndcg@20").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("validation").GetProperty("ndcg@20").GetDouble().Should().BeInRange(0, 1);
        File.ReadAllText(Path.Combine(outDir, "config.json")).Should().Contain("\"train.epochs\": \"2\"");
        File.ReadLines(Path.Combine(outDir, "epochs.jsonl")).Should().HaveCount(2);
        File.Exists(Path.Combine(outDir, "per_user_test.csv")).Should().BeTrue();
        File.Exists(Path.Combine(outDir, "run.log")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(outDir, "checkpoint"), "*.pt", SearchOption.AllDirectories).Should().NotBeEmpty();
        File.Exists(Path.Combine(outDir, "synthetic-truth.json")).Should().BeTrue();
    }

    [Theory]
    [InlineData("validation")]
    [InlineData("test")]
    public void Eval_select_on_test_picks_the_best_epoch_on_the_test_users_and_says_so(string selectOn)
    {
        var outDir = Path.Combine(Scratch.Folder("untangle-select-").FullName, "out");

        var (code, stdout, stderr) = Host(Repo, "run", "bpr-mf-synthetic", "--set", "train.epochs=4", "--set", "dataset.users=200", "--set", "dataset.items=120",
            "--set", "train.threads=1", "--set", $"eval.select_on={selectOn}", "--out", outDir);

        code.Should().Be(0, stderr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var root = metrics.RootElement;
        root.GetProperty("selected_on").GetString().Should().Be(selectOn);
        // The selection's scores, epoch by epoch, are on the users named; the best one is the largest.
        var watched = File.ReadLines(Path.Combine(outDir, "epochs.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("validation").GetProperty("ndcg@20").GetDouble()).ToList();
        int best = root.GetProperty("best_epoch").GetInt32();
        watched[best - 1].Should().Be(watched.Max());
        double selected = root.GetProperty("validation").GetProperty("ndcg@20").GetDouble(), test = root.GetProperty("test").GetProperty("ndcg@20").GetDouble();
        if (selectOn == "test")
        {
            selected.Should().BeApproximately(test, 1e-9, "the selection scored the test users with the model the test reports");
            (stdout + stderr).Should().Contain("eval.select_on = test").And.Contain("optimistic");
        }
        else selected.Should().NotBe(test, "validation and test users differ");
    }

    [Fact]
    public void An_unknown_select_on_is_refused_naming_the_key()
    {
        var (code, _, stderr) = Host(Repo, "run", "bpr-mf-synthetic", "--set", "eval.select_on=valid", "--out", Path.Combine(Scratch.Folder("untangle-select-").FullName, "out"));

        code.Should().NotBe(0);
        stderr.Should().Contain("eval.select_on: 'valid' is not known; expected validation or test");
    }

    [Fact]
    public void Plugins_lists_the_Foundation_components_and_the_experiments()
    {
        var (code, stdout, stderr) = Host(Repo, "plugins");

        code.Should().Be(0, stderr);
        stdout.Should().Contain("loaded  Foundation").And.Contain("lightgcn").And.Contain("bpr-mf").And.Contain("mostpop")
            .And.Contain("user-item").And.Contain("lightgcn-synthetic");
    }

    [Fact]
    public void Show_lists_a_methods_slots_and_hyper_parameters_with_defaults()
    {
        var (code, stdout, stderr) = Host(Repo, "show", "lightgcn");

        code.Should().Be(0, stderr);
        stdout.Should().Contain("slot components.graph: graph-builder, default 'user-item'")
            .And.Contain("hyper.encoder.layers (integer, default 3)")
            .And.Contain("hyper.embedding_size (integer > 0, default 64)", "a declared range is shown beside the type");
    }

    [Fact]
    public void An_unknown_component_fails_before_training_with_one_line_listing_the_valid_names()
    {
        var (code, _, stderr) = Host(Repo, "run", "--set", "components.graph=nope", "--out", Path.Combine(Path.GetTempPath(), "untangle-never"));

        code.Should().Be(1);
        stderr.Trim().Should().Be("error: components.graph: unknown graph-builder 'nope'; valid: user-item");
    }

    [Fact]
    public void A_malformed_data_line_fails_the_run_with_file_and_line()
    {
        var data = Scratch.Folder("untangle-bad-").FullName;
        File.WriteAllText(Path.Combine(data, "bad.inter"), "user_id:token\titem_id:token\n1\t10\n2\n");
        var outDir = Path.Combine(data, "out");

        var (code, _, stderr) = Host(Repo, "run", "mostpop-synthetic", "--set", "dataset.reader=recbole", "--set", $"dataset.path={data}", "--set", "dataset.name=bad", "--out", outDir);

        code.Should().Be(1);
        var line = stderr.Trim();
        line.Should().StartWith("error: ").And.Contain("bad.inter:3");
        File.ReadAllText(Path.Combine(outDir, "run.log")).Should().Contain("bad.inter:3", "the detail is in the log");
    }
}
