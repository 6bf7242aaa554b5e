using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;

namespace Untangle.Testing;

/// <summary>
/// A method's context the way the engine makes one, for a plugin's own tests: its hyper-parameters
/// resolved against the method's declaration (an unknown key fails as in a run), the CPU, a seeded
/// <see cref="Random"/>, a null logger, and the slot factory and phase runner the test gives.
/// </summary>
internal static class MethodContexts
{
    public static MethodContext For(IMethod method, Dataset dataset, Split split, IReadOnlyDictionary<string, string>? hyper,
        Func<string, IReadOnlyDictionary<string, object>, object> create, int seed = 7, int batchSize = 8, int? batchesPerEpoch = null,
        Func<TrainingPhase, PhaseOutcome>? phases = null) => new(create)
    {
        Dataset = dataset,
        Split = split,
        Hyper = SettingValues.Resolve("hyper", method.Declare().HyperParameters, hyper),
        Device = TorchSharp.torch.CPU,
        Seed = seed,
        Random = new Random(seed),
        Logger = NullLogger.Instance,
        Epochs = 1,
        BatchSize = batchSize,
        BatchesPerEpoch = batchesPerEpoch ?? Math.Max(1, (split.Train.Count + batchSize - 1) / batchSize),
        PhaseRunner = phases,
    };
}
