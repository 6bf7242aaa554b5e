using System.Text.Json;
using TorchSharp;
using Untangle.Contracts.Training;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// phase-state.json in a phase snapshot (checkpoint/phase-NAME/snapshot-N/): how far the phase got
/// (the last finished epoch; <see cref="Finished"/> once the phase is over), its last epoch's mean
/// losses, its step names, the method's random state and the phase's own states.
/// </summary>
public sealed record PhaseState
{
    public const string FileName = "phase-state.json";

    public required string Config { get; init; }
    public required string Phase { get; init; }
    public required int Epoch { get; init; }
    public required bool Finished { get; init; }
    public required Dictionary<string, double> LastEpoch { get; init; }
    public required List<string> Steps { get; init; }
    public ulong[]? Random { get; init; }
    public Dictionary<string, string> States { get; init; } = [];

    public static PhaseState Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            return JsonSerializer.Deserialize<PhaseState>(File.ReadAllText(path), CheckpointJson.Options) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"checkpoint {path}: unreadable ({e.Message.Split(" Path:")[0]})");
        }
    }
}

/// <summary>
/// A phase's snapshot, laid out as <see cref="TrainingSnapshot"/>'s (modules/KEY.pt, optimizers/NN.pt in
/// step order, torch-rng.bin) with <see cref="PhaseState"/> in place of its state.json, and a manifest
/// written last by <see cref="CheckpointFolder"/>.
/// </summary>
internal static class PhaseSnapshot
{
    public static void Write(string folder, IReadOnlyDictionary<string, torch.nn.Module> modules, IReadOnlyList<StepRunner> runners,
        IReadOnlyList<CheckpointedState> states, RunRandom? random, PhaseState state)
    {
        TrainingSnapshot.SaveModules(folder, modules);
        TrainingSnapshot.SaveOptimizers(folder, runners);
        TrainingSnapshot.SaveRng(folder);
        var complete = state with
        {
            Random = random?.State,
            States = states.ToDictionary(s => s.Name, s => s.Save(), StringComparer.Ordinal),
        };
        File.WriteAllText(Path.Combine(folder, PhaseState.FileName), JsonSerializer.Serialize(complete, CheckpointJson.Options));
    }

    /// <summary>Puts the phase back where the (verified) snapshot left it; refuses one from another configuration or phase shape.</summary>
    public static PhaseState Restore(string folder, string config, string phase, IReadOnlyDictionary<string, torch.nn.Module> modules,
        IReadOnlyList<StepRunner> runners, IReadOnlyList<CheckpointedState> states, RunRandom? random)
    {
        var state = PhaseState.Read(folder);
        if (state.Config != config || state.Phase != phase)
            throw new CorruptCheckpointException(
                $"checkpoint {folder} was written by another configuration or phase ('{state.Phase}'); it is not loaded");
        var steps = runners.Select(r => r.Step.Name).ToList();
        if (!state.Steps.SequenceEqual(steps))
            throw new CorruptCheckpointException(
                $"checkpoint {folder} has phase steps [{string.Join(", ", state.Steps)}], this method builds [{string.Join(", ", steps)}]; it is not loaded");
        TrainingSnapshot.LoadModules(TrainingSnapshot.ModulesFolder(folder), modules);
        TrainingSnapshot.LoadOptimizers(folder, runners);
        TrainingSnapshot.LoadRng(folder);
        if (random is not null && state.Random is not null) random.Restore(state.Random);
        TrainingSnapshot.RestoreStates(folder, states, state.States);
        return state;
    }
}
