using Untangle.Host.Runs;

namespace Untangle.Tests.Runs;

public class MoveWithoutReplacingTests
{
    [Fact]
    public void A_file_already_at_the_destination_is_kept_and_the_source_left()
    {
        var dir = Scratch.Folder("untangle-move-").FullName;
        string source = Path.Combine(dir, "new"), destination = Path.Combine(dir, "store");
        File.WriteAllText(source, "mine");
        File.WriteAllText(destination, "in use");

        UnixFiles.MoveWithoutReplacing(source, destination).Should().BeFalse();

        File.ReadAllText(destination).Should().Be("in use");
        File.ReadAllText(source).Should().Be("mine");
    }

    [Fact]
    public void A_missing_destination_gets_the_source_and_the_source_name_is_gone()
    {
        var dir = Scratch.Folder("untangle-move-").FullName;
        string source = Path.Combine(dir, "new"), destination = Path.Combine(dir, "store");
        File.WriteAllText(source, "mine");

        UnixFiles.MoveWithoutReplacing(source, destination).Should().BeTrue();

        File.ReadAllText(destination).Should().Be("mine");
        File.Exists(source).Should().BeFalse();
    }

    [Fact]
    public async Task Of_movers_racing_to_one_name_exactly_one_wins_and_its_file_stays()
    {
        // File.Move(overwrite: false) gave two or more winners in some of these rounds here: it checks, then renames.
        var dir = Scratch.Folder("untangle-move-").FullName;
        for (int round = 0; round < 500; round++)
        {
            var destination = Path.Combine(dir, $"store-{round}");
            using var start = new Barrier(8);
            var winners = new System.Collections.Concurrent.ConcurrentBag<int>();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            {
                var source = Path.Combine(dir, $"new-{round}-{i}");
                File.WriteAllText(source, i.ToString());
                start.SignalAndWait();
                if (UnixFiles.MoveWithoutReplacing(source, destination)) winners.Add(i);
                else File.Delete(source);
            })));

            winners.Should().ContainSingle($"round {round}: one mover may win");
            File.ReadAllText(destination).Should().Be(winners.Single().ToString(), $"round {round}: nobody replaced the winner's file");
        }
    }
}
