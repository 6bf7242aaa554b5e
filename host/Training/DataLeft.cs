using Untangle.Contracts.Data;

namespace Untangle.Host.Training;

/// <summary>
/// Refuses a run with nothing to learn from or to measure. An empty ratings file used to "finish"
/// with NaN metrics over 0 users and exit code 0; filters that remove everything did the same. The
/// message names the file and what was left after reading, after each of the protocol's filters
/// (<see cref="Split.Filters"/>) and after the split, so the step that emptied the data is visible.
/// </summary>
internal static class DataLeft
{
    public static void AfterRead(Dataset dataset, string reader)
    {
        if (dataset.Interactions.Count > 0) return;
        throw new InvalidDataException(
            $"{Where(dataset, reader)}: no interactions were read ({dataset.UserCount} users, {dataset.ItemCount} items); " +
            "expected at least one interaction line (an empty or header-only file?)");
    }

    public static void AfterSplit(Dataset dataset, string reader, Split split)
    {
        if (split.Train.Count > 0 && split.Test.Targets.Count > 0) return;
        int trainUsers = Enumerable.Range(0, split.Train.Rows).Count(u => split.Train.RowLength(u) > 0);
        int testUsers = Enumerable.Range(0, split.Test.Count).Count(r => split.Test.Targets.RowLength(r) > 0);
        var left = new List<string> { FilterStep.After("read", dataset.Interactions).ToString() };
        left.AddRange(split.Filters.Select(f => f.ToString()));
        left.Add($"split {split.Protocol}: {split.Train.Count} training interactions ({trainUsers} users), " +
                 $"{split.Validation.Targets.Count} validation and {split.Test.Targets.Count} test targets ({testUsers} test users)");
        throw new InvalidDataException(
            $"{Where(dataset, reader)}: nothing left to {(split.Train.Count == 0 ? "train on" : "test on")} after the protocol's filters: " +
            $"{string.Join("; ", left)}; expected training interactions and test targets (loosen the protocol's filters or use more data)");
    }

    private static string Where(Dataset dataset, string reader) =>
        dataset.Source is { } source ? source : $"data set '{dataset.Name}' (reader {reader})";
}
