using System.Text.Json;
using Untangle.Tests.EndToEnd;

namespace Untangle.Tests.Perf;

/// <summary>`bench perf`: the speed yardstick's tables from a run small enough for the suite (its numbers are the machine's, so only their presence and consistency are checked).</summary>
public class PerfBenchTests
{
    [Fact]
    public void Bench_perf_measures_the_yardstick_methods_loading_and_scaling_and_writes_them_as_json()
    {
        var root = Path.Combine(Scratch.Folder("untangle-perf-").FullName, "out");
        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "perf",
            "--set", "users=300", "--set", "items=80", "--set", "mean_interactions=12", "--set", "methods=bpr-mf,multvae,mmssl,dcid",
            "--set", "epochs=2", "--set", "batches=1", "--set", "scaling=[100,200]", "--set", "scaling_epochs=2", "--set", "scaling_rounds=3", "--set", "scaling_lightgcn_batches=1",
            "--set", "load_lines=3000", "--set", "threads=1", "--out", root);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("GEMM yardstick: 1024³ float32 matmul on 1 libtorch threads");
        stdout.Should().Contain("| method | training interactions | s/epoch |");
        stdout.Should().Contain("BPR-MF cost per interaction, 200 users against 100:");
        File.ReadAllText(Path.Combine(root, "perf.txt")).Should().Contain("| users | items | training interactions |");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "perf.json")));
        var report = json.RootElement;
        report.GetProperty("gemm_gflops").GetDouble().Should().BePositive();
        report.GetProperty("threads").GetInt32().Should().Be(1);

        var methods = report.GetProperty("methods").EnumerateArray().ToDictionary(m => m.GetProperty("method").GetString()!);
        methods.Keys.Should().Equal("bpr-mf", "multvae", "mmssl", "dcid");
        foreach (var (name, m) in methods)
        {
            m.GetProperty("seconds_per_epoch").GetDouble().Should().BePositive(name);
            m.GetProperty("batches_run").GetInt32().Should().Be(1, $"{name}: batches=1 cuts every epoch to its first batch");
            m.GetProperty("test_seconds").GetDouble().Should().BePositive(name);
            m.GetProperty("users").GetInt32().Should().Be(300, name);
        }
        var bpr = methods["bpr-mf"];
        int batches = bpr.GetProperty("batches_per_epoch").GetInt32();
        batches.Should().Be((int)Math.Ceiling(bpr.GetProperty("train_interactions").GetInt64() / 2048.0));
        // BPR-MF: 3 × T × (2·2d + 3·2d) with d = 64, and the GFLOP/s that count gives at the measured seconds.
        double flops = bpr.GetProperty("flops_per_epoch").GetDouble();
        flops.Should().Be(3.0 * bpr.GetProperty("train_interactions").GetInt64() * 640);
        bpr.GetProperty("gflops").GetDouble().Should().BeApproximately(flops / bpr.GetProperty("seconds_per_epoch").GetDouble() / 1e9, 1e-9);
        // MMSSL is counted from its critic's rows per batch, which the run's own analysis reports.
        var mmssl = methods["mmssl"];
        double mmsslFlops = mmssl.GetProperty("flops_per_epoch").GetDouble();
        mmsslFlops.Should().BeGreaterThan(3.0 * mmssl.GetProperty("train_interactions").GetInt64() * 640, "more than its BPR term alone");
        mmssl.GetProperty("gflops").GetDouble().Should().BeApproximately(mmsslFlops / mmssl.GetProperty("seconds_per_epoch").GetDouble() / 1e9, 1e-9);
        // DCID: every batch projects every item's representation (its width from the run's analysis), then BPR.
        var dcid = methods["dcid"];
        dcid.GetProperty("flops_per_epoch").GetDouble().Should().BeGreaterThan(3.0 * dcid.GetProperty("train_interactions").GetInt64() * 640, "more than its BPR term alone");
        stdout.Should().MatchRegex(@"\| mmssl \| [\d,]+ \| [\d.]+\* \| 1 of \d+ \| [\d.]+ \| [\d.]+ \| [\d.]+% \|");

        var loads = report.GetProperty("loads").EnumerateArray().ToList();
        loads.Select(l => l.GetProperty("reader").GetString()).Should().Equal("movielens-csv", "recbole");
        foreach (var load in loads)
        {
            // 3,000 lines at 143 per user: 20 users.
            load.GetProperty("lines").GetInt64().Should().Be(20 * 143);
            load.GetProperty("lines_per_second").GetDouble().Should().BePositive();
        }

        var scaling = report.GetProperty("scaling").EnumerateArray().ToList();
        scaling.Select(r => r.GetProperty("users").GetInt32()).Should().Equal(100, 200);
        scaling.Select(r => r.GetProperty("items").GetInt32()).Should().Equal(20, 40);
        foreach (var row in scaling)
        {
            var bprMf = row.GetProperty("bpr_mf");
            var runs = bprMf.GetProperty("runs").EnumerateArray().ToList();
            runs.Should().HaveCount(3, "one BPR-MF run per round");
            foreach (var run in runs)
            {
                run.GetProperty("batches_run").GetInt32().Should().Be(run.GetProperty("batches_per_epoch").GetInt32(), "BPR-MF trains whole epochs");
                run.GetProperty("epoch_seconds").GetArrayLength().Should().Be(1, "of 2 epochs, the first is not counted");
            }
            // The size's seconds: the median of the counted epochs of all its runs, between the fastest and the slowest.
            var epochs = runs.SelectMany(r => r.GetProperty("epoch_seconds").EnumerateArray().Select(e => e.GetDouble())).Order().ToList();
            bprMf.GetProperty("epochs_counted").GetInt32().Should().Be(3);
            bprMf.GetProperty("seconds_per_epoch").GetDouble().Should().Be(epochs[1]);
            bprMf.GetProperty("fastest_epoch").GetDouble().Should().Be(epochs[0]);
            bprMf.GetProperty("slowest_epoch").GetDouble().Should().Be(epochs[2]);
            row.GetProperty("lightgcn").GetProperty("batches_run").GetInt32().Should().Be(1);
        }
        // The rounds alternate their order over the sizes: 100, 200, then 200, 100, then 100, 200.
        var started = Enumerable.Range(1, 3).SelectMany(round => new[] { 100, 200 }.Select(users =>
            (Round: round, Users: users, At: File.GetLastWriteTimeUtc(Path.Combine(root, "scaling", $"bpr-mf-{users}-round{round}", "config.json"))))).ToList();
        started.OrderBy(s => s.At).Select(s => (s.Round, s.Users)).Should().Equal((1, 100), (1, 200), (2, 200), (2, 100), (3, 100), (3, 200));
        // 20 items at 100 users, so at most 20 per user; 40 at 200 users.
        Directory.GetFiles(Path.Combine(root, "data", "scale-200")).Should().ContainSingle().Which.Should().EndWith("scale-200.inter");
        File.ReadLines(Path.Combine(root, "data", "scale-200", "scale-200.inter")).Count().Should().Be(1 + 200 * 40);
    }

    [Theory]
    [InlineData("batches=-1", "batches -1 is negative")]
    [InlineData("scaling=[3]", "scaling size 3 is too small")]
    [InlineData("scaling=[100,200,100]", "scaling size 100 is listed more than once")]
    [InlineData("speed=fast", "speed")]
    public void Bad_options_fail_in_one_line_naming_the_option(string set, string expected)
    {
        var root = Path.Combine(Scratch.Folder("untangle-perf-bad-").FullName, "out");
        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "perf", "--set", set, "--out", root);

        code.Should().NotBe(0);
        stderr.Should().Contain(expected).And.Contain("bench perf");
        Directory.Exists(root).Should().BeFalse("nothing is written before the options are checked");
    }

    [Theory]
    [InlineData("--seeds", "3", "it takes no --seeds")]
    [InlineData("--config", "x.json", "not --config")]
    [InlineData("--executor", "local", "it takes no --executor")]
    public void Options_of_other_benchmarks_are_refused_not_ignored(string flag, string value, string expected)
    {
        var root = Path.Combine(Scratch.Folder("untangle-perf-flag-").FullName, "out");
        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "perf", flag, value, "--out", root);

        code.Should().NotBe(0);
        stderr.Should().Contain(expected);
        Directory.Exists(root).Should().BeFalse();
    }

    [Fact]
    public void A_folder_that_holds_files_is_refused_and_left_alone()
    {
        var root = Scratch.Folder("untangle-perf-full-").FullName;
        File.WriteAllText(Path.Combine(root, "keep.txt"), "earlier results");
        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "bench", "perf", "--set", "methods=", "--set", "scaling=[]", "--set", "load_lines=0", "--out", root);

        code.Should().NotBe(0);
        stderr.Should().Contain("is not empty; choose a new folder");
        Directory.GetFileSystemEntries(root).Should().Equal(Path.Combine(root, "keep.txt"));
    }
}
