namespace Untangle.Host.Data.Protocols;

/// <summary>
/// How many of one user's interactions go to training, validation and test. The weak protocols
/// order a user's interactions (shuffled, or by time) and then take the last <see cref="Test"/> as
/// test items, the <see cref="Validation"/> before them as validation items and the rest as training.
/// </summary>
internal readonly record struct PartSizes(int Train, int Validation, int Test)
{
    /// <summary>
    /// MMRec / LATTICE: a user with fewer than 10 interactions gives 1 validation and 1 test item;
    /// otherwise floor(10%) each (so 20% held out, half each; 10..19 interactions give 1 + 1,
    /// 20..29 give 2 + 2, ...). Below 3 interactions Untangle keeps at least one training item and
    /// prefers test over validation: 2 interactions give 1 train + 1 test, 1 gives 1 train, 0 nothing.
    /// </summary>
    public static PartSizes Mmrec(int n)
    {
        if (n >= 10)
        {
            int tenth = n / 10;
            return new PartSizes(n - 2 * tenth, tenth, tenth);
        }
        if (n >= 3) return new PartSizes(n - 2, 1, 1);
        if (n == 2) return new PartSizes(1, 0, 1);
        return new PartSizes(n, 0, 0);
    }

    /// <summary>
    /// RecBole's split_by_ratio (data/dataset/dataset.py, _calcu_split_ids): the ratios are
    /// normalised to sum 1; validation and test get floor(ratio × n) each and training the rest; then,
    /// from the test part backwards, a part whose ratio × n lies strictly between 0 and 1 takes one item
    /// from training as long as training keeps more than one. (A tiny epsilon guards the floor against
    /// products such as 2.9999999 that are meant to be 3.)
    /// </summary>
    public static PartSizes Ratio(int n, double train, double validation, double test)
    {
        double total = train + validation + test;
        double v = validation / total * n, t = test / total * n;
        int nv = (int)Math.Floor(v + 1e-9), nt = (int)Math.Floor(t + 1e-9);
        int nTrain = n - nv - nt;
        if (nTrain > 1 && t > 0 && t < 1 && nt == 0) { nt++; nTrain--; }
        if (nTrain > 1 && v > 0 && v < 1 && nv == 0) { nv++; nTrain--; }
        return new PartSizes(nTrain, nv, nt);
    }
}
