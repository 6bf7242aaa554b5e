using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// A copy of another module's parameters and buffers held as this module's buffers, so the engine
/// checkpoints it like any module: the best epoch's state of a model a phase selects on validation
/// (FairMI's p). Buffer names are the source's state keys with '.' written '_'.
/// </summary>
public sealed class ModuleStateCopy : nn.Module
{
    private readonly List<(string Source, string Buffer)> _keys = [];

    public ModuleStateCopy(nn.Module source) : base(nameof(ModuleStateCopy))
    {
        foreach (var (key, value) in source.state_dict())
        {
            var name = key.Replace('.', '_');
            register_buffer(name, value.detach().clone().DetachFromDisposeScope());
            _keys.Add((key, name));
        }
    }

    /// <summary>Copies <paramref name="source"/>'s current state in (same keys and shapes as at construction).</summary>
    public void CopyFrom(nn.Module source)
    {
        using var noGrad = no_grad();
        var state = source.state_dict();
        var buffers = state_dict();
        foreach (var (key, name) in _keys) buffers[name].copy_(state[key]);
    }

    /// <summary>Loads the copy into <paramref name="target"/>.</summary>
    public void CopyTo(nn.Module target)
    {
        using var noGrad = no_grad();
        var buffers = state_dict();
        var state = target.state_dict();
        foreach (var (key, name) in _keys) state[key].copy_(buffers[name]);
    }
}
