using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// The disentanglement lab as a user meets it: every synthetic run's metrics.json carries the metric
/// suite for each user representation, beside its rotated control and the method's own keys, and
/// `bench disentangle-study` writes the study's table, JSON and charts, which `report` shows.
/// </summary>
public class DisentanglementLabTests
{
    private static readonly string[] SuiteKeys =
    [
        "mig", "dci_disentanglement", "dci_completeness", "dci_informativeness", "sap", "modularity", "explicitness", "factorvae", "betavae",
    ];

    private static (int Code, string Out, string Err) Host(params string[] args) =>
        HostProcess.Run(HostProcess.Repo, [.. args, "--store", Path.Combine(Scratch.Folder("untangle-store-").FullName, "untangle.db")]);

    private static readonly string[] TinyIndependentData =
    [
        "--set", "dataset.users=300", "--set", "dataset.items=60", "--set", "dataset.user_factors=independent", "--set", "dataset.factor_dim=1",
        "--set", "train.epochs=1", "--set", "train.threads=1",
    ];

    [Fact]
    public void A_synthetic_macridvae_run_writes_the_suite_and_its_rotated_control_beside_the_concept_nmi()
    {
        var outDir = Path.Combine(Scratch.Folder("untangle-lab-").FullName, "out");
        var (code, _, stderr) = Host(["run", "macridvae-synthetic", .. TinyIndependentData, "--set", "protocol.heldout_users=30", "--set", "hyper.dim=4", "--out", outDir]);

        code.Should().Be(0, stderr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var section = metrics.RootElement.GetProperty("disentanglement");
        section.GetProperty("nmi").GetDouble().Should().BeInRange(0, 1, "the method's own keys stay");
        foreach (var key in SuiteKeys)
        {
            section.GetProperty($"users.{key}").ValueKind.Should().Be(JsonValueKind.Number, key);
            section.GetProperty($"users.{key}_rotated").ValueKind.Should().Be(JsonValueKind.Number, key + "_rotated");
        }
        // Training users and the 60 held-out users folded in; 5 concepts of 4 dims; 5 strengths and 5 preferences.
        section.GetProperty("users.measured_users").GetDouble().Should().Be(300);
        section.GetProperty("users.codes").GetDouble().Should().Be(20);
        section.GetProperty("users.factors").GetDouble().Should().Be(10);
    }

    [Fact]
    public void Eval_disentanglement_chooses_the_metrics_and_an_unknown_name_fails_with_the_valid_ones()
    {
        var outDir = Path.Combine(Scratch.Folder("untangle-lab-").FullName, "out");
        var (code, _, stderr) = Host(["run", "lightgcn-synthetic", .. TinyIndependentData, "--set", "eval.disentanglement=mig,sap", "--out", outDir]);
        code.Should().Be(0, stderr);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json"))))
        {
            var keys = metrics.RootElement.GetProperty("disentanglement").EnumerateObject().Select(p => p.Name).ToList();
            keys.Should().Contain(["users.mig", "users.mig_rotated", "users.sap", "users.sap_rotated"]).And.NotContain("users.dci_disentanglement");
        }

        var (none, _, noneErr) = Host(["run", "lightgcn-synthetic", .. TinyIndependentData, "--set", "eval.disentanglement=none", "--out", outDir + "-none"]);
        none.Should().Be(0, noneErr);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir + "-none", "metrics.json"))))
            metrics.RootElement.TryGetProperty("disentanglement", out _).Should().BeFalse("LightGCN reports no analysis of its own");

        var (bad, _, badErr) = Host(["run", "lightgcn-synthetic", "--set", "eval.disentanglement=mig,migg", "--out", outDir + "-bad"]);
        bad.Should().Be(1);
        badErr.Should().Contain("eval.disentanglement (mig,migg): unknown disentanglement-metric 'migg'; valid: betavae, dci, dci-trees, explicitness, factorvae, mig, modularity, sap");
    }

    [Fact]
    public void The_study_bench_writes_its_table_json_and_charts_and_report_shows_them()
    {
        var root = Scratch.Folder("untangle-study-").FullName;
        var (code, stdout, stderr) = Host(["bench", "disentangle-study", "--seeds", "1,2",
            "--set", "dataset.users=200", "--set", "dataset.items=60", "--set", "train.epochs=1", "--set", "train.threads=1", "--out", root]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("Spearman rank correlation between metrics over all runs").And.Contain("model share");
        using var study = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "study.json")));
        var rho = study.RootElement.GetProperty("spearman_between_metrics");
        rho.GetProperty("mig").GetProperty("mig").GetDouble().Should().BeApproximately(1, 1e-9);
        study.RootElement.GetProperty("runs").GetArrayLength().Should().Be(16);
        study.RootElement.GetProperty("models").GetProperty("macridvae-study-b4").GetProperty("mig_rotated").GetProperty("mean").ValueKind.Should().Be(JsonValueKind.Number);
        study.RootElement.GetProperty("spearman_with_target").EnumerateObject().Select(p => p.Name).Should().Contain(SuiteKeys);
        File.Exists(Path.Combine(root, "metric-correlations.png")).Should().BeTrue();
        File.Exists(Path.Combine(root, "scatter-mig.png")).Should().BeTrue();

        var reportDir = Path.Combine(root, "report");
        var (reportCode, reportOut, reportErr) = Host(["report", root, "--out", reportDir]);
        reportCode.Should().Be(0, reportErr);
        reportOut.Should().Contain("do the metrics agree?");
        File.ReadAllText(Path.Combine(reportDir, "report.html")).Should().Contain("<img src=\"metric-correlations.png\"");
        File.Exists(Path.Combine(reportDir, "scatter-dci_disentanglement.png")).Should().BeTrue();
    }
}
