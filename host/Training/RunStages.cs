using System.Diagnostics;
using System.Globalization;

namespace Untangle.Host.Training;

/// <summary>The seconds each named stage of a run took, in order ("read 0.12s, split 0.03s, build 1.4s, ..."), for the run log.</summary>
internal sealed class RunStages
{
    private readonly List<(string Name, double Seconds)> _done = [];

    public T Run<T>(string name, Func<T> stage)
    {
        var clock = Stopwatch.StartNew();
        var result = stage();
        _done.Add((name, clock.Elapsed.TotalSeconds));
        return result;
    }

    public void Run(string name, Action stage) => Run(name, () => { stage(); return 0; });

    /// <summary>Seconds of each stage run so far, by name.</summary>
    public IReadOnlyDictionary<string, double> Seconds => _done.ToDictionary(s => s.Name, s => s.Seconds);

    public override string ToString() =>
        string.Join(", ", _done.Select(s => $"{s.Name} {s.Seconds.ToString("0.###", CultureInfo.InvariantCulture)}s"));
}
