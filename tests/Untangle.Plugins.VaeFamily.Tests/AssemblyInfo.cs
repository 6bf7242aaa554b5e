// Tests seed torch's global generator (dropout masks, Gumbel noise, ε) and compare draws, so they
// must not interleave with other tests' draws: run them one at a time (they take a few seconds in all).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
