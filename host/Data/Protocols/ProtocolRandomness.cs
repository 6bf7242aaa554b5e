using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Where a protocol's randomness comes from: one <see cref="System.Random"/> seeded by the run's
/// seed, or by the protocol's own "seed" option when that is set (>= 0), so a split can be held
/// fixed while the training seed varies. A seeded System.Random produces the same sequence on every
/// run and platform, and every draw a protocol makes comes from that one stream, so the same seed
/// gives the same split.
/// </summary>
internal static class ProtocolRandomness
{
    public static SettingSpec SeedOption { get; } = SettingSpec.Int(
        "seed", -1, "Seed of the split; -1 uses the run's seed, a value >= 0 fixes the split whatever the run's seed.");

    public static Random Create(SettingValues options, int runSeed)
    {
        int own = options.Int("seed");
        return new Random(own >= 0 ? own : runSeed);
    }

    /// <summary>
    /// Fisher–Yates, written out so the order is part of Untangle's documented behaviour rather than
    /// of a library version: for i = n-1 down to 1, swap item i with item Next(i + 1).
    /// </summary>
    public static void Shuffle<T>(Random random, Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// A uniform random subset of <paramref name="count"/> of the positions 0..n-1 (a partial
    /// Fisher–Yates: for j = 0..count-1, swap position j with position Next(j, n)); returned as a
    /// membership mask.
    /// </summary>
    public static bool[] ChooseSubset(Random random, int n, int count)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int j = 0; j < count; j++)
        {
            int r = random.Next(j, n);
            (order[j], order[r]) = (order[r], order[j]);
        }
        var chosen = new bool[n];
        for (int j = 0; j < count; j++) chosen[order[j]] = true;
        return chosen;
    }
}
