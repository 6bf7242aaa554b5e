namespace Untangle.Host.Training;

/// <summary>A step's loss became NaN or infinite; the run stops and names where.</summary>
public sealed class NonFiniteLossException(string step, int epoch, int batch, double value)
    : Exception($"step '{step}' produced a {(double.IsNaN(value) ? "NaN" : "non-finite")} loss ({value}) at epoch {epoch}, batch {batch}")
{
    public string Step { get; } = step;
    public int Epoch { get; } = epoch;
}
