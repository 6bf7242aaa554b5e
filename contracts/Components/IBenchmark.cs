using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Settings;

namespace Untangle.Contracts.Components;

/// <summary>What a plugin benchmark gets: its options (from --set key=value), seeds, device, an output folder and the console.</summary>
public sealed class BenchmarkContext
{
    public required SettingValues Options { get; init; }
    /// <summary>Seeds from --seeds (default 1, 2, 3).</summary>
    public required IReadOnlyList<int> Seeds { get; init; }
    public required torch.Device Device { get; init; }
    /// <summary>A folder for the benchmark's files (tables, JSON), created by the host.</summary>
    public required string OutFolder { get; init; }
    /// <summary>Where the printed table goes (stdout).</summary>
    public required TextWriter Output { get; init; }
    public required ILogger Logger { get; init; }
    public CancellationToken Cancel { get; init; }
}

/// <summary>
/// A benchmark a plugin runs by itself (`bench NAME`), for measurements that are not a table of
/// experiments (those are declared in plugins.json): e.g. estimators against closed-form mutual
/// information. Stateless; prints its table to <see cref="BenchmarkContext.Output"/>.
/// </summary>
public interface IBenchmark
{
    IReadOnlyList<SettingSpec> Options { get; }
    void Run(BenchmarkContext context);
}
