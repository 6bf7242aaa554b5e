using TorchSharp;
using Untangle.Contracts.Training;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// What one snapshot holds and how it is laid out:
/// <code>
/// state.json            TrainingState (epoch, batch, losses so far, early stopping, records, random state)
/// modules/KEY.pt        each module's current parameters and buffers (TorchSharp's save format)
/// best/KEY.pt           the best epoch's module states (absent until a validation has run)
/// optimizers/NN.pt      each optimisation step's optimizer state, in the graph's step order
/// torch-rng.bin         the torch CPU generator's state (torch.random.get_rng_state)
/// manifest.json         lengths and SHA-256 of all the above, written last
/// </code>
/// </summary>
internal static class TrainingSnapshot
{
    private const string Modules = "modules", Best = "best", Optimizers = "optimizers", Rng = "torch-rng.bin";

    /// <param name="bestFrom">
    /// Where the best modules come from: null when the current modules are the best (this epoch
    /// improved), else the previous snapshot, whose best/ files are carried over (if it has any).
    /// </param>
    public static void Write(string folder, TrainingGraph graph, IReadOnlyList<StepRunner> runners, RunRandom? random,
        TrainingState state, bool currentIsBest, string? bestFrom)
    {
        var modules = SaveModules(folder, graph.Modules);

        bool hasBest = false;
        if (currentIsBest)
        {
            Directory.CreateDirectory(Path.Combine(folder, Best));
            foreach (var key in graph.Modules.Keys)
                File.Copy(Path.Combine(modules, key + ".pt"), Path.Combine(folder, Best, key + ".pt"));
            hasBest = true;
        }
        else if (bestFrom is not null && Directory.Exists(Path.Combine(bestFrom, Best)))
        {
            Directory.CreateDirectory(Path.Combine(folder, Best));
            foreach (var key in graph.Modules.Keys)
                File.Copy(Path.Combine(bestFrom, Best, key + ".pt"), Path.Combine(folder, Best, key + ".pt"));
            hasBest = true;
        }

        SaveOptimizers(folder, runners);
        SaveRng(folder);

        (state with
        {
            HasBest = hasBest,
            Steps = runners.Select(r => r.Step.Name).ToList(),
            Random = random?.State,
            States = graph.States.ToDictionary(s => s.Name, s => s.Save(), StringComparer.Ordinal),
        }).Write(folder);
    }

    /// <summary>
    /// Puts the run back where <paramref name="folder"/> (a verified snapshot) left it: module states,
    /// optimizer states, the torch generator, the method's random source and its own states. Refuses
    /// a snapshot written by another configuration or a graph of another shape.
    /// </summary>
    public static TrainingState Restore(string folder, string config, TrainingGraph graph, IReadOnlyList<StepRunner> runners, RunRandom? random)
    {
        var state = TrainingState.Read(folder);
        if (state.Config != config)
            throw new CorruptCheckpointException(
                $"checkpoint {folder} was written by a run with another configuration (config SHA-256 {Short(state.Config)}, this run {Short(config)}); it is not loaded");
        var steps = runners.Select(r => r.Step.Name).ToList();
        if (!state.Steps.SequenceEqual(steps))
            throw new CorruptCheckpointException(
                $"checkpoint {folder} has optimizer steps [{string.Join(", ", state.Steps)}], this method builds [{string.Join(", ", steps)}]; it is not loaded");

        LoadModules(Path.Combine(folder, Modules), graph.Modules);
        LoadOptimizers(folder, runners);
        LoadRng(folder);
        if (random is not null && state.Random is not null) random.Restore(state.Random);
        RestoreStates(folder, graph.States, state.States);
        return state;
    }

    /// <summary>Loads the best epoch's module states from a verified snapshot.</summary>
    public static void RestoreBest(string folder, TrainingGraph graph) => LoadModules(Path.Combine(folder, Best), graph.Modules);

    /// <summary>
    /// The model a finished run reported on: the best epoch's module states (or the last ones when no
    /// validation ran), from a verified snapshot written by the same configuration.
    /// </summary>
    public static void RestoreFinishedModel(string folder, string config, TrainingGraph graph)
    {
        var state = TrainingState.Read(folder);
        if (state.Config != config)
            throw new CorruptCheckpointException(
                $"checkpoint {folder} was written by a run with another configuration (config SHA-256 {Short(state.Config)}, its config.json gives {Short(config)}); it is not loaded");
        LoadModules(Path.Combine(folder, state.HasBest ? Best : Modules), graph.Modules);
    }

    // The pieces a phase snapshot (PhaseSnapshot) shares with this one.

    /// <summary>Saves each module's parameters and buffers as modules/KEY.pt; returns the modules/ folder.</summary>
    internal static string SaveModules(string folder, IReadOnlyDictionary<string, torch.nn.Module> modules)
    {
        var path = Directory.CreateDirectory(Path.Combine(folder, Modules)).FullName;
        foreach (var (key, module) in modules)
            module.save(Path.Combine(path, key + ".pt"));
        return path;
    }

    internal static void SaveOptimizers(string folder, IReadOnlyList<StepRunner> runners)
    {
        Directory.CreateDirectory(Path.Combine(folder, Optimizers));
        for (int i = 0; i < runners.Count; i++)
            runners[i].SaveState(OptimizerPath(folder, i));
    }

    internal static void LoadOptimizers(string folder, IReadOnlyList<StepRunner> runners)
    {
        for (int i = 0; i < runners.Count; i++)
            runners[i].LoadState(OptimizerPath(folder, i));
    }

    internal static void SaveRng(string folder)
    {
        using var rng = torch.random.get_rng_state();
        File.WriteAllBytes(Path.Combine(folder, Rng), rng.data<byte>().ToArray());
    }

    internal static void LoadRng(string folder)
    {
        using var rng = torch.tensor(File.ReadAllBytes(Path.Combine(folder, Rng)), dtype: torch.ScalarType.Byte);
        torch.random.set_rng_state(rng);
    }

    internal static void RestoreStates(string folder, IReadOnlyList<CheckpointedState> states, IReadOnlyDictionary<string, string> saved)
    {
        foreach (var s in states)
        {
            if (!saved.TryGetValue(s.Name, out var text))
                throw new CorruptCheckpointException($"checkpoint {folder} has no state '{s.Name}', which this method keeps; it is not loaded");
            s.Restore(text);
        }
    }

    internal static string ModulesFolder(string folder) => Path.Combine(folder, Modules);

    internal static void LoadModules(string modules, IReadOnlyDictionary<string, torch.nn.Module> graphModules)
    {
        foreach (var (key, module) in graphModules)
        {
            var path = Path.Combine(modules, key + ".pt");
            if (!File.Exists(path))
                throw new CorruptCheckpointException($"checkpoint {modules} has no module '{key}'; it is not loaded");
            module.load(path);
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private static string OptimizerPath(string folder, int index) => Path.Combine(folder, Optimizers, $"{index:D2}.pt");
}
