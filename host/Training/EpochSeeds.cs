namespace Untangle.Host.Training;

/// <summary>
/// Seeds derived from the run's seed, one per epoch, for the engine's batch sampling. Each epoch's
/// shuffle and negatives come from <c>new Random(EpochSeeds.Sampling(seed, epoch))</c> rather than from
/// one generator running through the whole run: System.Random's state cannot be saved, and a
/// generator created afresh per epoch needs none, so a run resumed at any epoch (or, by replaying the
/// epoch's draws, at any batch) samples exactly what the uninterrupted run sampled.
/// </summary>
public static class EpochSeeds
{
    public static int Sampling(int seed, int epoch)
    {
        // Pack (seed, epoch) into one word and scramble it with SplitMix64, so neighbouring seeds and
        // epochs give unrelated generators; keep 31 bits because Random(int) takes |seed|.
        ulong x = ((ulong)(uint)seed << 32) | (uint)epoch;
        return (int)(RunRandom.SplitMix64(ref x) >> 33);
    }
}
