using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Interaction lines as read, before the user and item counts are known (side files may still add
/// users and items that never interacted). <see cref="Build"/> hands them to
/// <see cref="InteractionsBuilder"/>, whose rule settles repeated (user, item) pairs: the latest
/// timestamp wins, and among equal timestamps (or none) the line read last wins.
/// </summary>
public sealed class InteractionRows
{
    private readonly List<int> _users = new(), _items = new();
    private readonly List<float> _values = new();
    private readonly List<long> _times = new();
    private bool _hasValues, _hasTimes;

    public int Count => _users.Count;

    public void Add(int user, int item, float? value = null, long? timestamp = null)
    {
        _users.Add(user);
        _items.Add(item);
        _values.Add(value ?? 1f);
        _times.Add(timestamp ?? 0);
        _hasValues |= value.HasValue;
        _hasTimes |= timestamp.HasValue;
    }

    /// <summary>The users × items matrix; <paramref name="duplicates"/> is how many repeated pairs were merged away.</summary>
    public Interactions Build(int users, int items, out int duplicates)
    {
        var builder = new InteractionsBuilder(users, items);
        for (int k = 0; k < _users.Count; k++)
            builder.Add(_users[k], _items[k], _hasValues ? _values[k] : null, _hasTimes ? _times[k] : null);
        var built = builder.Build();
        duplicates = builder.Duplicates;
        return built;
    }
}
