using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>The benchmark's table and files, on a sweep small enough for a unit test (the full sweep is `bench mi-gaussian`).</summary>
public class GaussianMiBenchmarkTests
{
    [Fact]
    public void A_small_sweep_prints_one_row_per_cell_with_the_closed_form_and_writes_json()
    {
        var benchmark = new GaussianMiBenchmark();
        var options = SettingValues.Resolve("bench mi-gaussian", benchmark.Options, new Dictionary<string, string>
        {
            ["dims"] = "[2]", ["rhos"] = "[0,0.9]", ["batch_size"] = "64", ["fit_steps"] = "60", ["eval_batches"] = "3", ["hidden_size"] = "16",
        });
        var folder = Scratch.Folder("untangle-mi-bench-").FullName;
        var output = new StringWriter();

        benchmark.Run(new BenchmarkContext
        {
            Options = options, Seeds = [1, 2], Device = CPU, OutFolder = folder, Output = output, Logger = NullLogger.Instance,
        });

        var lines = output.ToString().Split('\n');
        lines[0].Should().StartWith("benchmark mi-gaussian: estimates in nats, mean ± s.e. over seeds 1,2; batch N = 64 (log N = 4.159)");
        lines[1].Should().MatchRegex(@"^\s+d\s+rho\s+true I\s+CLUB\(q\*\)\s+club\s+club-sample\s+infonce\s+learned-infonce$");
        lines[2].Should().MatchRegex(@"^\s+2\s+0\.0\s+0\.000\s+0\.000\s");
        lines[3].Should().MatchRegex(@"^\s+2\s+0\.9\s+1\.661\s+4\.404\s", "−(2/2)·log(1 − 0.81) = 1.661 and 2·0.81·e = 4.404");
        lines[4].Should().StartWith("checks (tolerance 0.100 nats)");

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "bench.json")))!;
        json["cells"]!.AsArray().Should().HaveCount(2);
        json["cells"]![1]!["estimates"]!["club"]!["per_seed"]!.AsArray().Should().HaveCount(2);
        File.ReadAllText(Path.Combine(folder, "bench.txt")).Should().Be(output.ToString());
    }
}
