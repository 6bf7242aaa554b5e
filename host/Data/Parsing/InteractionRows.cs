using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Interaction lines as read, before the user and item counts are known (side files may still add
/// users and items that never interacted). <see cref="Build"/> settles repeated (user, item) pairs by
/// <see cref="InteractionsBuilder"/>'s rule: the latest timestamp wins, and among equal timestamps (or
/// none) the line read last wins.
/// </summary>
public sealed class InteractionRows
{
    private readonly InteractionsBuilder _builder;

    /// <param name="expected">How many lines are expected at most (<see cref="LineReader.CountLines"/>), so the arrays are made once; 0 or less: unknown, they grow.</param>
    public InteractionRows(long expected = 0)
    {
        _builder = new InteractionsBuilder(Math.Max(0, expected));
    }

    public long Count => _builder.Count;

    public void Add(int user, int item, float? value = null, long? timestamp = null) => _builder.Add(user, item, value, timestamp);

    private InteractionRows(InteractionsBuilder builder)
    {
        _builder = builder;
    }

    /// <summary>Rows for a second thread reading the file's last <paramref name="lines"/> lines, written into these rows' arrays (<see cref="InteractionsBuilder.Part"/>).</summary>
    public InteractionRows Part(long lines, bool values, bool times) => new(_builder.Part(checked((int)lines), values, times));

    /// <summary>Takes <paramref name="part"/>'s rows after these, its users and items mapped to these rows' (<see cref="IdIndex.Absorb"/>).</summary>
    public void Join(InteractionRows part, int[] userMap, int[] itemMap) => _builder.Join(part._builder, userMap, itemMap);

    /// <summary>The users × items matrix; <paramref name="duplicates"/> is how many repeated pairs were merged away. Call once.</summary>
    public Interactions Build(int users, int items, out int duplicates)
    {
        var built = _builder.Build(users, items);
        duplicates = _builder.Duplicates;
        return built;
    }
}
