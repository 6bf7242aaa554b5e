using Untangle.Contracts.Data;

namespace Untangle.Tests.Data.Parsing;

public class InteractionsBuilderTests
{
    private sealed record Entry(int Row, int Col, float Value, long Time, int Order);

    /// <summary>Entries with many repeats and tied timestamps, rows 0..rows-1 each with about perRow entries over few columns.</summary>
    private static List<Entry> Entries(int rows, int perRow, int columns, int seed)
    {
        var random = new Random(seed);
        var entries = new List<Entry>();
        for (int r = 0; r < rows; r++)
            for (int k = random.Next(perRow * 2); k > 0; k--)
                entries.Add(new Entry(r, random.Next(columns), random.Next(1, 6), random.Next(4), entries.Count));
        return entries;
    }

    /// <summary>The rule, said plainly: per (row, column) the latest timestamp, then the one added last; rows by column.</summary>
    private static Interactions Expected(IEnumerable<Entry> added, int rows, int columns)
    {
        var winners = added.GroupBy(e => (e.Row, e.Col)).Select(g => g.OrderBy(e => e.Time).ThenBy(e => e.Order).Last())
            .OrderBy(e => e.Row).ThenBy(e => e.Col).ToList();
        var start = new int[rows + 1];
        foreach (var e in winners) start[e.Row + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        return new Interactions(rows, columns, start, winners.Select(e => e.Col).ToArray(), winners.Select(e => e.Value).ToArray(), winners.Select(e => e.Time).ToArray());
    }

    private static void ShouldEqual(Interactions actual, Interactions expected)
    {
        actual.RowStart.Should().Equal(expected.RowStart);
        actual.Columns.Should().Equal(expected.Columns);
        actual.Values.Should().Equal(expected.Values);
        actual.Timestamps.Should().Equal(expected.Timestamps);
    }

    [Theory]
    [InlineData(300, 40, 25, false, 0)]        // row by row, settled in place
    [InlineData(300, 40, 25, true, 0)]         // rows mixed, through the permutation
    [InlineData(300, 40, 25, false, -1)]       // the capacity given exactly
    [InlineData(300, 40, 25, false, 1000)]     // more capacity than entries: trimmed
    [InlineData(16000, 80, 60, false, -1)]     // over a million entries: two threads settle halves
    [InlineData(16000, 80, 60, true, 0)]
    public void Repeats_keep_the_latest_timestamp_then_the_last_added_and_rows_come_sorted(int rows, int perRow, int columns, bool shuffle, int extraCapacity)
    {
        var entries = Entries(rows, perRow, columns, seed: rows + columns);
        var added = shuffle ? entries.OrderBy(_ => Random.Shared.Next()).Select((e, k) => e with { Order = k }).ToList() : entries;
        var builder = new InteractionsBuilder(extraCapacity < 0 ? added.Count : extraCapacity == 0 ? 0 : added.Count + extraCapacity);
        foreach (var e in added) builder.Add(e.Row, e.Col, e.Value, e.Time);

        var built = builder.Build(rows + 2, columns); // two rows without entries at the end

        var expected = Expected(added, rows + 2, columns);
        ShouldEqual(built, expected);
        builder.Duplicates.Should().Be(added.Count - expected.Count).And.BePositive();
    }

    [Fact]
    public void The_parallel_path_moves_the_second_half_left_by_the_first_half_repeats()
    {
        // All repeats in the first half of the rows, none in the second: the second half must move.
        var entries = new List<Entry>();
        for (int r = 0; r < 20000; r++)
            for (int c = 0; c < 60; c++)
            {
                entries.Add(new Entry(r, c, c, 5, entries.Count));
                if (r < 10000 && c % 3 == 0) entries.Add(new Entry(r, c, -c, 5, entries.Count));
            }
        var builder = new InteractionsBuilder(entries.Count);
        foreach (var e in entries) builder.Add(e.Row, e.Col, e.Value, e.Time);

        ShouldEqual(builder.Build(20000, 60), Expected(entries, 20000, 60));
    }

    [Fact]
    public void Values_and_timestamps_first_given_late_fill_the_earlier_entries_with_1_and_0()
    {
        var builder = new InteractionsBuilder(2, 3);
        builder.Add(0, 2);
        builder.Add(1, 0, value: 4f);
        builder.Add(1, 1, timestamp: 9);

        var built = builder.Build();

        built.Values.Should().Equal(1f, 4f, 1f);
        built.Timestamps.Should().Equal(0L, 0L, 9L);
    }

    [Fact]
    public void Entries_outside_the_size_are_refused()
    {
        var sized = new InteractionsBuilder(2, 3);
        FluentActions.Invoking(() => sized.Add(2, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("row 2 outside [0, 2)*");
        var open = new InteractionsBuilder();
        open.Add(4, 1);
        FluentActions.Invoking(() => open.Build(4, 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("an entry has row 4, outside [0, 4)*");
    }
}
