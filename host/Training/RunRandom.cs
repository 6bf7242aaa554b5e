namespace Untangle.Host.Training;

/// <summary>
/// The method's CPU-side random source (<see cref="Untangle.Contracts.Training.MethodContext.Random"/>):
/// a <see cref="Random"/> whose whole state is four 64-bit words, so a checkpoint can save it and a
/// resumed run draws exactly the numbers the uninterrupted run would have drawn. System.Random's own
/// seeded generator keeps its state private, which is why the engine does not hand that one out.
/// </summary>
/// <remarks>
/// The generator is xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
/// generators", 2021), seeded through SplitMix64 as its authors recommend. Every virtual member of
/// <see cref="Random"/> is overridden, so the base class's hidden generator is never consulted and
/// helpers such as <see cref="Random.Shuffle{T}(T[])"/> go through these overrides.
/// </remarks>
public sealed class RunRandom : Random
{
    private ulong _s0, _s1, _s2, _s3;

    public RunRandom(int seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The generator's state, for a checkpoint.</summary>
    public ulong[] State => [_s0, _s1, _s2, _s3];

    /// <summary>Continues from a state saved with <see cref="State"/>.</summary>
    public void Restore(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(s => s == 0))
            throw new ArgumentException("a RunRandom state is four 64-bit words, not all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    public override int Next()
    {
        while (true)
        {
            int v = (int)(NextUInt64() >> 33); // [0, 2^31 - 1]; Next() excludes int.MaxValue
            if (v != int.MaxValue) return v;
        }
    }

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)Below((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)((long)maxValue - minValue);
        return range <= 1 ? minValue : (int)((long)minValue + (long)Below(range));
    }

    public override long NextInt64()
    {
        while (true)
        {
            long v = (long)(NextUInt64() >> 1);
            if (v != long.MaxValue) return v;
        }
    }

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)Below((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = unchecked((ulong)(maxValue - minValue));
        return range <= 1 ? minValue : unchecked(minValue + (long)Below(range));
    }

    /// <summary>53 random bits scaled to [0, 1).</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    protected override double Sample() => NextDouble();

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i += 8)
        {
            ulong word = NextUInt64();
            for (int j = 0; j < 8 && i + j < buffer.Length; j++, word >>= 8)
                buffer[i + j] = (byte)word;
        }
    }

    /// <summary>Uniform in [0, n) without modulo bias: reject the few draws below 2^64 mod n.</summary>
    private ulong Below(ulong n)
    {
        ulong threshold = (0 - n) % n;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return r % n;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    internal static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
