namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's dead-code reset (official <c>Cross_VQEmbeddingEMA.forward</c>): every batch, each code's
/// "batches since last chosen" counter grows by one and the codes any modality chose go back to 0; a
/// code unchosen for more than <c>deadAfter</c> batches is dead and is replaced by a randomly drawn
/// active code (chosen within the last <c>activeWithin</c> batches) plus small uniform noise.
/// </summary>
/// <remarks>
/// The official code also counts never-chosen codes as active for their first 100 batches; here a code
/// is active only once some modality has chosen it, so a dead code is never reset onto another code
/// that nobody uses. This is the plan; <see cref="SharedCodebook"/> applies it to the vectors.
/// </remarks>
public static class DeadCodeReset
{
    /// <summary>
    /// Advances <paramref name="counters"/> (batches since chosen, or since the start for codes never
    /// chosen) and <paramref name="everChosen"/> in place for one batch in which the <paramref name="chosen"/>
    /// codes were used, and returns each dead code with the active code it is reset to (none when no code
    /// is active). A reset code starts again: counter 0, not yet chosen.
    /// </summary>
    public static IReadOnlyList<(int Dead, int Source)> Plan(
        long[] counters, bool[] everChosen, IEnumerable<long> chosen, int deadAfter, int activeWithin, Random random)
    {
        for (int k = 0; k < counters.Length; k++) counters[k]++;
        foreach (var c in chosen)
        {
            counters[c] = 0;
            everChosen[c] = true;
        }
        var active = Enumerable.Range(0, counters.Length).Where(k => everChosen[k] && counters[k] < activeWithin).ToArray();
        var dead = Enumerable.Range(0, counters.Length).Where(k => counters[k] > deadAfter).ToArray();
        if (active.Length == 0 || dead.Length == 0) return [];
        var plan = new List<(int, int)>(dead.Length);
        foreach (var d in dead)
        {
            counters[d] = 0;
            everChosen[d] = false;
            plan.Add((d, active[random.Next(active.Length)]));
        }
        return plan;
    }
}
