using TorchSharp;

namespace Untangle.Host.Training;

/// <summary>
/// The best epoch's module states, saved with TorchSharp's save (one file per module key, so field
/// names inside a module stay the checkpoint keys) and restored before the test evaluation.
/// </summary>
public sealed class Checkpoint(string folder)
{
    public string Folder { get; } = folder;
    public bool Exists { get; private set; }

    public void Save(IReadOnlyDictionary<string, torch.nn.Module> modules)
    {
        Directory.CreateDirectory(Folder);
        foreach (var (key, module) in modules)
        {
            var path = PathOf(key);
            var temp = path + ".tmp";
            module.save(temp);
            File.Move(temp, path, overwrite: true); // never leave a half-written best checkpoint
        }
        Exists = true;
    }

    public void Restore(IReadOnlyDictionary<string, torch.nn.Module> modules)
    {
        foreach (var (key, module) in modules)
            module.load(PathOf(key));
    }

    private string PathOf(string key) => Path.Combine(Folder, key + ".pt");
}
