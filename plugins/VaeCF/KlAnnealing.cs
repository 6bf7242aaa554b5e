namespace Untangle.Plugins.VaeCF;

/// <summary>
/// Linear KL annealing to a cap (Liang et al., WWW 2018, sec. 2.2.2): β_t = min(cap, t / steps),
/// where t counts the optimisation steps taken before this one (the reference code's
/// <c>update_count</c>, 0 on the first batch). MultVAE uses steps = 200 000 and cap 0.2; MacridVAE
/// uses steps = 5 × batches per epoch and cap β.
/// </summary>
public static class KlAnnealing
{
    public static double Weight(long step, double steps, double cap)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "the step count cannot be negative");
        if (cap < 0) throw new ArgumentOutOfRangeException(nameof(cap), cap, "the annealing cap cannot be negative");
        // steps <= 0 means "no annealing": the cap from the first step, as the reference code's else-branch.
        return steps > 0 ? Math.Min(cap, step / steps) : cap;
    }
}
