namespace Untangle.Contracts.Analysis;

/// <summary>Summaries of a sample.</summary>
public static class SampleStatistics
{
    /// <summary>The sample standard deviation, √(Σ(x − x̄)² / (n − 1)); NaN for fewer than 2 values.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        double mean = values.Average(), sum = 0;
        foreach (var x in values) sum += (x - mean) * (x - mean);
        return Math.Sqrt(sum / (values.Count - 1));
    }
}
