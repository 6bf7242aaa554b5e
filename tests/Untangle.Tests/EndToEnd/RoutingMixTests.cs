using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// DisenGraph's routing encoders in other papers' encoder slots, as plugins.json ships the mixes:
/// DisenGCN's neighbourhood routing in LightGCN and in FairMI-LightGCN (its interest encoder z and its
/// frozen preference model p), and DGCF with DisenGCN's routing. Each trains, tests and writes its
/// results with the routing in the slot; the DGCF runs also report the per-edge intents analysis.
/// </summary>
public class RoutingMixTests
{
    [Theory]
    [InlineData("lightgcn-disen-routing-synthetic", "lightgcn")]
    [InlineData("fairmi-lightgcn-disen-routing-synthetic", "fairmi-lightgcn")]
    [InlineData("dgcf-synthetic-disen-routing", "dgcf")]
    [InlineData("dgcf-synthetic", "dgcf")]
    public void A_routing_encoder_runs_in_the_slot_the_experiment_names(string experiment, string method)
    {
        var root = Scratch.Folder("untangle-mix-").FullName;
        var outDir = Path.Combine(root, "out");
        string[] small = ["--set", "train.epochs=2", "--set", "dataset.users=150", "--set", "dataset.items=80", "--set", "train.threads=1"];
        string[] fairMi = method == "fairmi-lightgcn" ? ["--set", "hyper.sensitive_epochs=5", "--set", "hyper.p_epochs=2"] : [];

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo,
            ["run", experiment, .. small, .. fairMi, "--out", outDir, "--store", Path.Combine(root, "untangle.db")]);

        code.Should().Be(0, stderr);
        string encoder = experiment == "dgcf-synthetic" ? "intent-routing" : "disen-routing";
        File.ReadAllText(Path.Combine(outDir, "run.log")).Should().Contain($"encoder = {encoder}");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        metrics.RootElement.GetProperty("method").GetString().Should().Be(method);
        metrics.RootElement.GetProperty("test").GetProperty("ndcg@20").GetDouble().Should().BeInRange(0, 1);
        if (method == "dgcf")
        {
            var intents = metrics.RootElement.GetProperty("intents");
            intents.GetProperty("edges_measured").GetDouble().Should().BeGreaterThan(0);
            intents.GetProperty("nmi").GetDouble().Should().BeInRange(0, 1);
        }
    }
}
