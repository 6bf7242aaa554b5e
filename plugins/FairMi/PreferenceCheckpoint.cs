using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// Loads FairMI's plain model p from an earlier run (hyper.p_checkpoint), as the official code loads
/// <c>--pretrain_path</c>. The path is either a module file (TorchSharp's .pt) or a run's results folder,
/// in which case the best epoch's module of its newest snapshot is taken:
/// <c>checkpoint/snapshot-N/best/{preference|embeddings|model}.pt</c>, the first that is there: a FairMI
/// run's own p (its folder also holds model.pt, which is its z, not a plain model), else bpr-mf's and
/// lightgcn's module. The earlier run must have used the same data, protocol and split seed: only the
/// table shapes can be checked here.
/// </summary>
public static class PreferenceCheckpoint
{
    public static readonly string[] ModuleFiles = ["preference.pt", "embeddings.pt", "model.pt"];

    /// <summary>The module file <paramref name="path"/> names, or one clear error naming hyper.p_checkpoint.</summary>
    public static string Resolve(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path))
            throw new ArgumentException($"hyper.p_checkpoint: '{path}' is neither a file nor a folder; expected a module .pt file or a run's results folder");
        var snapshots = Path.Combine(path, "checkpoint");
        var newest = Directory.Exists(snapshots)
            ? Directory.GetDirectories(snapshots, "snapshot-*").Order(StringComparer.Ordinal).LastOrDefault(d => Directory.Exists(Path.Combine(d, "best")))
            : null;
        var best = newest is null ? null : Path.Combine(newest, "best");
        var file = best is null ? null : ModuleFiles.Select(f => Path.Combine(best, f)).FirstOrDefault(File.Exists);
        return file ?? throw new ArgumentException(
            $"hyper.p_checkpoint: '{path}' has no checkpoint/snapshot-*/best/ with one of {string.Join(", ", ModuleFiles)}; " +
            "expected a bpr-mf, lightgcn or FairMI run's results folder (run with validation) or a module .pt file");
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="model"/> and freezes it; a mismatch fails naming the file.</summary>
    public static (Tensor Users, Tensor Items) Load(InterestBackbone model, string path)
    {
        var file = Resolve(path);
        try
        {
            model.Module.load(file, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new ArgumentException(
                $"hyper.p_checkpoint: {file} does not fit this backbone ({model.Ego.UserCount} users × {model.Ego.ItemCount} items, " +
                $"keys {string.Join(", ", model.Module.state_dict().Keys)}): {e.Message}", e);
        }
        return PreferencePretraining.Freeze(model);
    }
}
