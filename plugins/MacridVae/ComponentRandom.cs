using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// Where a component's initial weights come from: a CPU generator seeded from the "random" argument
/// (the method passes its run's seeded System.Random), so a seed gives the same weights on every
/// device; without one, seeded from torch's global generator, which the engine seeds with the run's seed.
/// </summary>
internal static class ComponentRandom
{
    public static Generator Generator(ComponentContext context)
    {
        if (context.Arguments.TryGetValue("random", out var r) && r is Random random)
            return new Generator((ulong)random.NextInt64(), CPU);
        using var draw = randint(long.MaxValue, [1], dtype: ScalarType.Int64);
        return new Generator((ulong)draw.item<long>(), CPU);
    }
}
