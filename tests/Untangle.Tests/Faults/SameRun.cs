using Untangle.Host.Training;

namespace Untangle.Tests.Faults;

/// <summary>A resumed run ends as the run that was never stopped: best epoch, every epoch's losses in order, each test metric's mean and per-user values, and every analysis value.</summary>
internal static class SameRun
{
    public static void ShouldMatch(RunOutcome resumed, RunOutcome uninterrupted)
    {
        resumed.Training.BestEpoch.Should().Be(uninterrupted.Training.BestEpoch);
        resumed.Training.Epochs.Select(e => e.Losses).Should().BeEquivalentTo(uninterrupted.Training.Epochs.Select(e => e.Losses), o => o.WithStrictOrdering());
        foreach (var (name, result) in uninterrupted.Test)
        {
            resumed.Test[name].Mean.Should().Be(result.Mean, name);
            resumed.Test[name].PerUser.Should().Equal(result.PerUser, name);
        }
        resumed.Analyses.Keys.Should().BeEquivalentTo(uninterrupted.Analyses.Keys);
        foreach (var (name, values) in uninterrupted.Analyses)
            foreach (var (key, value) in values)
                resumed.Analyses[name][key].Should().Be(value, $"analysis {name}.{key} is computed on the same restored model");
    }
}
