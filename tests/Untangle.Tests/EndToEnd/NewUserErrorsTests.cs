namespace Untangle.Tests.EndToEnd;

/// <summary>
/// The rough edges a new user met (issue: plugin authors outside the repository): empty or
/// filtered-away data that "finished" with NaN metrics and exit code 0, `--out` onto a file, and a
/// protocol switch that printed an empty "valid:" list. Each now fails with one line, or runs.
/// </summary>
public class NewUserErrorsTests
{
    /// <summary>A MovieLens 100K folder whose u.data holds <paramref name="lines"/>.</summary>
    private static string Ml100k(IEnumerable<string> lines)
    {
        var folder = Scratch.Folder("untangle-ml100k-").FullName;
        File.WriteAllLines(Path.Combine(folder, "u.data"), lines);
        return folder;
    }

    /// <summary>User u rates item u with 1 + u % 5 and item u + 1 with 1.</summary>
    private static IEnumerable<string> FewRatings(int users) =>
        Enumerable.Range(1, users).SelectMany(u => new[] { $"{u}\t{u}\t{1 + u % 5}\t{880000000 + u}", $"{u}\t{u + 1}\t1\t{880000100 + u}" });

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = Scratch.Folder("untangle-edge-").FullName;
        return HostProcess.Run(HostProcess.Repo, ["run", .. args, "--set", "train.epochs=1", "--store", Path.Combine(root, "store.db"),
            .. args.Contains("--out") ? Array.Empty<string>() : ["--out", Path.Combine(root, "run")]]);
    }

    private static string OneErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle(l => l.StartsWith("error: "), stderr);
        return lines.Single(l => l.StartsWith("error: "));
    }

    [Fact]
    public void An_empty_ratings_file_fails_naming_the_file()
    {
        var folder = Ml100k([]);

        var (code, _, stderr) = Run("lightgcn-ml100k", "--set", $"dataset.path={folder}");

        code.Should().Be(1, stderr);
        OneErrorLine(stderr).Should().Be(
            $"error: {Path.Combine(folder, "u.data")}: no interactions were read (0 users, 0 items); expected at least one interaction line (an empty or header-only file?)");
    }

    [Fact]
    public void Data_the_filters_empty_fails_saying_what_each_filter_left()
    {
        var folder = Ml100k(FewRatings(20));

        var (code, _, stderr) = Run("lightgcn-ml100k", "--set", $"dataset.path={folder}", "--set", "protocol.min_interactions=5");

        code.Should().Be(1, stderr);
        OneErrorLine(stderr).Should().Be(
            $"error: {Path.Combine(folder, "u.data")}: nothing left to train on after the protocol's filters: " +
            "read: 40 interactions (20 users, 21 items); protocol.min_interactions = 5 (k-core): 0 interactions (0 users, 0 items); " +
            "split weak-random: 0 training interactions (0 users), 0 validation and 0 test targets (0 test users); " +
            "expected training interactions and test targets (loosen the protocol's filters or use more data)");
    }

    [Fact]
    public void Data_with_nothing_to_test_on_fails_naming_the_rating_threshold()
    {
        // Ratings of 5 only from users 4, 9, 14 and 19, one item each: 0.8/0.1/0.1 puts a single item in training.
        var folder = Ml100k(FewRatings(20));

        var (code, _, stderr) = Run("lightgcn-ml100k", "--set", $"dataset.path={folder}", "--set", "protocol.rating_threshold=4.5");

        code.Should().Be(1, stderr);
        OneErrorLine(stderr).Should().Contain("nothing left to test on")
            .And.Contain("protocol.rating_threshold = 4.5: 4 interactions (4 users, 4 items)")
            .And.Contain("split weak-random: 4 training interactions (4 users), 0 validation and 0 test targets");
    }

    [Fact]
    public void Out_onto_a_file_names_the_option_and_leaves_the_file_alone()
    {
        var file = Scratch.File("results.txt");
        File.WriteAllText(file, "mine");

        var (code, _, stderr) = Run("--set", "dataset.users=60", "--set", "dataset.items=40", "--out", file);

        code.Should().Be(1, stderr);
        OneErrorLine(stderr).Should().Be($"error: --out {file}: is a file; expected a folder for the run's results (a new or empty one)");
        File.ReadAllText(file).Should().Be("mine");
    }

    [Fact]
    public void Out_below_a_file_and_bench_out_onto_a_file_name_the_option()
    {
        var file = Scratch.File("results.txt");
        File.WriteAllText(file, "mine");
        var below = Path.Combine(file, "run");

        var run = Run("--set", "dataset.users=60", "--set", "dataset.items=40", "--out", below);
        var bench = HostProcess.Run(HostProcess.Repo, "bench", "baselines-synthetic", "--seeds", "1", "--out", file,
            "--store", Path.Combine(Scratch.Folder("untangle-edge-").FullName, "store.db"));

        run.Code.Should().Be(1, run.Err);
        OneErrorLine(run.Err).Should().Be($"error: --out {below}: {file} is a file, not a folder; expected a folder path for the run's results");
        bench.Code.Should().Be(1, bench.Err);
        OneErrorLine(bench.Err).Should().Be($"error: --out {file}: is a file; expected a folder for the benchmark's runs and tables (a new or empty one)");
        File.ReadAllText(file).Should().Be("mine");
    }

    [Fact]
    public void Switching_the_protocol_on_the_command_line_runs_and_names_what_it_left_out()
    {
        var folder = Ml100k(Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(1, 12).Select(i => $"{u}\t{(u * 7 + i) % 40 + 1}\t4\t{880000000 + u * 100 + i}")));

        var (code, stdout, stderr) = Run("lightgcn-ml100k", "--set", $"dataset.path={folder}", "--set", "protocol.name=weak-temporal");

        code.Should().Be(0, stderr);
        (stdout + stderr).Should().Contain("protocol.scheme (plugins.json experiment 'lightgcn-ml100k') left out: it was set for protocol.name = weak-random, which --set replaced with weak-temporal");
        (stdout + stderr).Should().NotContain("valid: ");
    }
}
