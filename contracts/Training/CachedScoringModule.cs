using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// A module whose full user and item tables (after propagation, fusion...) are computed once for a
/// whole evaluation, without gradients, and reused by every scoring batch. The cache is dropped
/// whenever the tables could change: on train()/eval(), when weights are loaded (the engine restores
/// the best epoch), and on dispose; a subclass that changes them otherwise calls
/// <see cref="ForgetScoringTables"/>.
/// </summary>
public abstract class CachedScoringModule : nn.Module
{
    private Tensor? _users, _items;

    protected CachedScoringModule(string name) : base(name) { }

    /// <summary>The users × d and items × d tables to score with; runs under no_grad inside a dispose scope.</summary>
    protected abstract (Tensor Users, Tensor Items) ComputeScoringTables();

    /// <summary>The cached tables, computed on first use.</summary>
    public (Tensor Users, Tensor Items) ScoringTables()
    {
        if (_users is null || _items is null)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (users, items) = ComputeScoringTables();
            _users = users.detach().DetachFromDisposeScope();
            _items = items.detach().DetachFromDisposeScope();
        }
        return (_users, _items);
    }

    /// <summary>Drops the cached tables; the next <see cref="ScoringTables"/> computes them again.</summary>
    public void ForgetScoringTables()
    {
        _users?.Dispose();
        _items?.Dispose();
        _users = _items = null;
    }

    public override void train(bool train = true)
    {
        ForgetScoringTables();
        base.train(train);
    }

    public override nn.Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        ForgetScoringTables();
        return base.load(reader, strict, skip, loadedParameters);
    }

    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
    {
        ForgetScoringTables();
        return base.load_state_dict(source, strict, skip);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) ForgetScoringTables();
        base.Dispose(disposing);
    }
}
