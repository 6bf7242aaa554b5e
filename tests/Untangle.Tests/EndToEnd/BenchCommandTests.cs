using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>`bench` over seeds: the summary table and, for a benchmark with a baseline, the paired table.</summary>
public class BenchCommandTests
{
    [Fact]
    public void A_benchmark_with_a_baseline_prints_and_writes_paired_differences_seed_by_seed()
    {
        var root = Scratch.Folder("untangle-bench-").FullName;
        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "vae-synthetic", "--seeds", "1,2",
            "--set", "dataset.users=200", "--set", "dataset.items=60", "--set", "protocol.heldout_users=20",
            "--set", "train.epochs=1", "--set", "train.threads=1", "--out", root);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("paired with multdae-synthetic: mean ± s.e. over seeds of (experiment − multdae-synthetic)");
        using var bench = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "bench.json")));
        var experiments = bench.RootElement.GetProperty("experiments");
        bench.RootElement.GetProperty("baseline").GetString().Should().Be("multdae-synthetic");
        experiments.GetProperty("multdae-synthetic").TryGetProperty("paired_with_baseline", out _).Should().BeFalse("the baseline is not paired with itself");

        var baseline = PerSeed(experiments.GetProperty("multdae-synthetic"), "ndcg@100");
        foreach (var name in new[] { "multvae-synthetic", "macridvae-synthetic", "macridvae-synthetic-nogb" })
        {
            var experiment = experiments.GetProperty(name);
            var differences = PerSeed(experiment, "ndcg@100").Zip(baseline, (e, b) => e - b).ToArray();
            var paired = experiment.GetProperty("paired_with_baseline").GetProperty("ndcg@100");
            paired.GetProperty("seeds").GetInt32().Should().Be(2);
            paired.GetProperty("mean").GetDouble().Should().BeApproximately(differences.Average(), 1e-9, $"{name}: the mean of its per-seed differences");
            paired.GetProperty("seeds_above_zero").GetInt32().Should().Be(differences.Count(d => d > 0));
            stdout.Should().MatchRegex($@"(?m)^{name}\s+[+-]\d\.\d{{5}} ± \d\.\d{{5}} \[\d/2\]");
        }
    }

    [Fact]
    public void A_benchmark_over_two_data_sets_pairs_each_experiment_with_the_baseline_it_names()
    {
        var root = Scratch.Folder("untangle-bench-pairs-").FullName;
        string Experiment(string method, int users) =>
            $$$"""{"method": "{{{method}}}", "dataset.reader": "synthetic", "protocol.name": "weak-random", "dataset": {"users": {{{users}}}, "items": 60}, "train": {"epochs": 1, "threads": 1}, "eval": {"metrics": "ndcg@20"}}""";
        var plugins = Path.Combine(root, "plugins.json");
        File.WriteAllText(plugins, $$"""
            {
              "plugins": ["plugins/Foundation"],
              "experiments": {
                "pop-small": {{Experiment("mostpop", 120)}}, "bpr-small": {{Experiment("bpr-mf", 120)}},
                "pop-large": {{Experiment("mostpop", 200)}}, "bpr-large": {{Experiment("bpr-mf", 200)}}
              },
              "benchmarks": {
                "two-sets": {
                  "experiments": ["pop-small", "bpr-small", "pop-large", "bpr-large"], "seeds": [1, 2],
                  "baseline": {"bpr-small": "pop-small", "bpr-large": "pop-large"}
                }
              }
            }
            """);

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "two-sets", "--plugins", plugins, "--out", Path.Combine(root, "out"));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("paired with each experiment's own baseline");
        using var bench = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "out", "bench.json")));
        var experiments = bench.RootElement.GetProperty("experiments");
        bench.RootElement.TryGetProperty("baseline", out _).Should().BeFalse("there is no one baseline");
        foreach (var (name, baselineName) in new[] { ("bpr-small", "pop-small"), ("bpr-large", "pop-large") })
        {
            var experiment = experiments.GetProperty(name);
            experiment.GetProperty("baseline").GetString().Should().Be(baselineName);
            var differences = PerSeed(experiment, "ndcg@20").Zip(PerSeed(experiments.GetProperty(baselineName), "ndcg@20"), (e, b) => e - b).ToArray();
            experiment.GetProperty("paired_with_baseline").GetProperty("ndcg@20").GetProperty("mean").GetDouble()
                .Should().BeApproximately(differences.Average(), 1e-9, $"{name} is paired with {baselineName}, seed by seed");
            stdout.Should().MatchRegex($@"(?m)^{name} − {baselineName}\s+[+-]\d\.\d{{5}} ± \d\.\d{{5}} \[\d/2\]");
        }
        experiments.GetProperty("pop-small").TryGetProperty("paired_with_baseline", out _).Should().BeFalse();
    }

    [Fact]
    public void Experiments_with_other_metrics_get_their_own_table_and_bench_experiments_runs_only_those_named()
    {
        var root = Scratch.Folder("untangle-bench-sets-").FullName;
        string Experiment(string method, string metrics) =>
            $$$"""{"method": "{{{method}}}", "dataset.reader": "synthetic", "protocol.name": "weak-random", "dataset": {"users": 120, "items": 60}, "train": {"epochs": 1, "threads": 1}, "eval": {"metrics": "{{{metrics}}}", "validation_metric": "{{{metrics.Split(',')[0]}}}"}}""";
        var plugins = Path.Combine(root, "plugins.json");
        File.WriteAllText(plugins, $$"""
            {
              "plugins": ["plugins/Foundation"],
              "experiments": {
                "pop-a": {{Experiment("mostpop", "ndcg@20")}}, "bpr-a": {{Experiment("bpr-mf", "ndcg@20")}},
                "pop-b": {{Experiment("mostpop", "recall@10,hit@10")}}, "bpr-b": {{Experiment("bpr-mf", "recall@10,hit@10")}}
              },
              "benchmarks": {
                "two-sets": {
                  "experiments": ["pop-a", "bpr-a", "pop-b", "bpr-b"], "seeds": [1, 2],
                  "baseline": {"bpr-a": "pop-a", "bpr-b": "pop-b"}
                }
              }
            }
            """);

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "two-sets", "--plugins", plugins,
            "--experiments", "bpr-b,pop-a,pop-b", "--out", Path.Combine(root, "out"));

        code.Should().Be(0, stderr);
        stdout.Should().MatchRegex(@"(?m)^experiment\s+ndcg@20\s+s/epoch", "pop-a's table has its one metric");
        stdout.Should().MatchRegex(@"(?m)^experiment\s+recall@10\s+hit@10\s+s/epoch", "pop-b and bpr-b report other metrics: a second table");
        stdout.Should().MatchRegex(@"(?m)^pop-b\s+\d\.\d{5} ± \d\.\d{5}\s+\d\.\d{5} ± ");
        stdout.Should().MatchRegex(@"(?m)^bpr-b − pop-b\s+[+-]\d\.\d{5} ± \d\.\d{5} \[\d/2\]\s+[+-]\d\.\d{5}");
        stdout.Should().NotContain("NaN", "no experiment is shown under a metric it does not report");
        stdout.Should().NotContain("bpr-a", "--experiments left it out");
        using var bench = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "out", "bench.json")));
        bench.RootElement.GetProperty("experiments").EnumerateObject().Select(p => p.Name).Should().Equal("pop-a", "pop-b", "bpr-b");
        Directory.Exists(Path.Combine(root, "out", "bpr-a")).Should().BeFalse("an experiment left out is not run");
    }

    [Fact]
    public void A_run_that_fails_costs_only_that_run_and_the_bench_exits_1_naming_it()
    {
        var root = Scratch.Folder("untangle-bench-failed-").FullName;
        const string small = "\"dataset.reader\": \"synthetic\", \"protocol.name\": \"weak-random\", \"dataset\": {\"users\": 120, \"items\": 60}, \"train\": {\"epochs\": 2, \"threads\": 1}, \"eval\": {\"metrics\": \"ndcg@20\"}";
        var plugins = Path.Combine(root, "plugins.json");
        // learning_rate 1e30 makes BPR's loss NaN in its first epochs: the run fails after it has started.
        File.WriteAllText(plugins, $$"""
            {
              "plugins": ["plugins/Foundation"],
              "experiments": {
                "pop": {"method": "mostpop", {{small}}},
                "broken": {"method": "bpr-mf", "hyper.learning_rate": 1e30, {{small}}},
                "bpr": {"method": "bpr-mf", {{small}}}
              },
              "benchmarks": {"with-a-failure": {"experiments": ["pop", "broken", "bpr"], "seeds": [1]} }
            }
            """);

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "with-a-failure", "--plugins", plugins, "--out", Path.Combine(root, "out"));

        code.Should().Be(1, "a run failed");
        stderr.Should().Contain("bench with-a-failure: 1 of 3 runs failed").And.MatchRegex(@"broken seed 1: \w+: .*NaN");
        stdout.Should().MatchRegex(@"(?m)^pop\s+\d\.\d{5}").And.MatchRegex(@"(?m)^bpr\s+\d\.\d{5}", "the run after the failure ran");
        stdout.Should().MatchRegex(@"(?m)^broken\s+\(no run of it has finished\)");
        using var bench = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "out", "bench.json")));
        bench.RootElement.GetProperty("experiments").EnumerateObject().Select(p => p.Name).Should().Equal("pop", "bpr");
    }

    private static double[] PerSeed(JsonElement experiment, string metric) =>
        experiment.GetProperty("test").GetProperty(metric).GetProperty("per_seed").EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
