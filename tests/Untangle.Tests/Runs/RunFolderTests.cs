using System.Text.Json;
using Untangle.Host;
using Untangle.Host.Runs;

namespace Untangle.Tests.Runs;

/// <summary>A run folder is owned by one live process: refused when it holds another run, when its owner lives; taken over once from a dead owner.</summary>
public class RunFolderTests
{
    [Fact]
    public void A_new_run_refuses_a_folder_holding_an_earlier_run_and_writes_nothing_there()
    {
        var folder = Scratch.Folder("untangle-owned-").FullName;
        File.WriteAllText(Path.Combine(folder, "metrics.json"), "{ \"test\": 1 }");
        File.WriteAllText(Path.Combine(folder, "run.log"), "earlier\n");
        File.WriteAllText(Path.Combine(folder, RunFolder.OwnerFile),
            JsonSerializer.Serialize(new RunOwner("20261207-000000-bpr-mf-synthetic-abcd", 1, "elsewhere", DateTimeOffset.UtcNow, "run")));
        var before = Listing(folder);

        var act = () => RunFolder.ClaimNew(folder, "new-run", "--out");

        act.Should().Throw<ConfigurationException>().Which.Message.Should()
            .Be($"--out {folder}: holds run 20261207-000000-bpr-mf-synthetic-abcd's files (metrics.json, run.log); choose a new folder, or continue that run with: untangle run --resume {folder}");
        Listing(folder).Should().Equal(before, "nothing is written into a refused folder");
    }

    [Fact]
    public void An_empty_or_missing_folder_is_claimed_and_names_its_owner()
    {
        var folder = Path.Combine(Scratch.Folder("untangle-owned-").FullName, "new");

        using var claim = RunFolder.ClaimNew(folder, "run-1", "--out");

        claim.Owner.Run.Should().Be("run-1");
        claim.Owner.Pid.Should().Be(Environment.ProcessId);
        var written = JsonSerializer.Deserialize<RunOwner>(File.ReadAllText(Path.Combine(folder, RunFolder.OwnerFile)))!;
        written.Should().Be(claim.Owner);
        RunFolder.LiveOwner(folder).Should().Be(claim.Owner);
    }

    [Fact]
    public void A_live_owner_is_named_and_a_second_claim_refused_until_it_lets_go()
    {
        var folder = Scratch.Folder("untangle-owned-").FullName;
        var first = RunFolder.ClaimNew(folder, "run-1", "--out");

        var again = () => RunFolder.ClaimExisting(folder, "run-1");

        again.Should().Throw<ConfigurationException>().Which.Message.Should()
            .StartWith($"{folder}: run run-1 is being trained there by pid {Environment.ProcessId} on {Environment.MachineName}")
            .And.EndWith("a run is trained by one process at a time: wait for it to end or stop that process");
        first.Dispose();
        RunFolder.LiveOwner(folder).Should().BeNull("the lock went with its owner");
        using var second = RunFolder.ClaimExisting(folder, "run-1");
        second.Previous.Should().Be(first.Owner);
    }

    [Fact]
    public async Task The_folder_of_a_dead_owner_is_taken_over_by_exactly_one_of_the_processes_racing_for_it()
    {
        var folder = Scratch.Folder("untangle-owned-").FullName;
        var dead = new RunOwner("run-1", 999_999, "gone-host", DateTimeOffset.UtcNow.AddHours(-1), "run");
        File.WriteAllText(Path.Combine(folder, RunFolder.OwnerFile), JsonSerializer.Serialize(dead));
        File.WriteAllText(Path.Combine(folder, RunFolder.LockFile), "");

        using var start = new Barrier(8);
        var outcomes = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            try
            {
                return RunFolder.ClaimExisting(folder, "run-1");
            }
            catch (ConfigurationException)
            {
                return null;
            }
        })).ToArray();
        var claims = await Task.WhenAll(outcomes);

        var winners = claims.OfType<RunFolder>().ToList();
        winners.Should().ContainSingle("a flock is held by one open file at a time, in one process or many");
        winners[0].Previous.Should().Be(dead);
        winners[0].Dispose();
    }

    private static List<string> Listing(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal)
            .Select(p => $"{Path.GetFileName(p)}:{(File.Exists(p) ? File.ReadAllText(p) : "dir")}").ToList();
}
