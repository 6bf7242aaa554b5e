using Untangle.Contracts.Settings;

namespace Untangle.Host.Composition;

/// <summary>
/// Settings written for a component that a later layer replaced. `run lightgcn-ml100k --set
/// protocol.name=presplit` used to fail on the experiment's protocol.scheme, a setting of weak-random
/// that presplit does not have. A key is left behind (and said so, <see cref="Dropped"/>) when the
/// component it was written for is no longer the chosen one: its selector (protocol.name,
/// dataset.reader, method, components.&lt;slot&gt;) had another value as of the key's layer, and the new
/// component does not know the key. A key the new component does know is kept; an unknown key written
/// for the chosen component itself is still an error, naming the component and what it takes.
/// </summary>
internal sealed class SwitchedComponents(IReadOnlyList<ConfigSource> layers)
{
    private readonly List<string> _dropped = [];

    public IReadOnlyList<string> Dropped => _dropped;

    /// <summary>
    /// Removes from <paramref name="given"/> (keys relative to <paramref name="scope"/>) those the
    /// specs do not know that were written for another component; any other unknown key fails.
    /// </summary>
    public void DropUnknown(Dictionary<string, string> given, string scope, IReadOnlyList<SettingSpec> specs,
        string selector, string chosen, string? selectorDefault, string owner)
    {
        DropSwitched(given, scope, specs, selector, chosen, selectorDefault);
        RefuseUnknown(given, scope, specs, owner);
    }

    /// <summary>Only the first half of <see cref="DropUnknown"/>: leaves out what was written for another component, refuses nothing.</summary>
    public void DropSwitched(Dictionary<string, string> given, string scope, IReadOnlyList<SettingSpec> specs,
        string selector, string chosen, string? selectorDefault)
    {
        foreach (var name in given.Keys.Where(k => !specs.Any(s => s.Name == k)).ToList())
            if (Drop($"{scope}.{name}", selector, chosen, selectorDefault))
                given.Remove(name);
    }

    /// <summary>Fails on the first key of <paramref name="given"/> the specs do not know, naming <paramref name="owner"/> and what it takes.</summary>
    public void RefuseUnknown(IReadOnlyDictionary<string, string> given, string scope, IReadOnlyList<SettingSpec> specs, string owner)
    {
        foreach (var name in given.Keys.Where(k => !specs.Any(s => s.Name == k)))
        {
            var key = $"{scope}.{name}";
            throw new ConfigurationException(specs.Count == 0
                ? $"{key} ({OriginOf(key)}) is not a known setting; {owner} takes no settings"
                : $"{key} ({OriginOf(key)}) is not a known setting of {owner}; valid: {string.Join(", ", specs.Select(s => s.Name).Order())}");
        }
    }

    /// <summary>True, and noted, when <paramref name="key"/> was written while <paramref name="selector"/> chose another component than <paramref name="chosen"/>.</summary>
    public bool Drop(string key, string selector, string chosen, string? selectorDefault)
    {
        int layer = LastLayer(key);
        if (layer < 0) return false;
        var then = ValueAsOf(selector, layer) ?? selectorDefault;
        if (then is null || then == chosen) return false;
        _dropped.Add($"{key} ({layers[layer].Origin}) left out: it was set for {selector} = {then}, which {layers[LastLayer(selector)].Origin} replaced with {chosen}");
        return true;
    }

    private int LastLayer(string key)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
            if (layers[i].Values.ContainsKey(key)) return i;
        return -1;
    }

    private string? ValueAsOf(string key, int layer)
    {
        for (int i = layer; i >= 0; i--)
            if (layers[i].Values.TryGetValue(key, out var v)) return v;
        return null;
    }

    private string OriginOf(string key) => LastLayer(key) is var i and >= 0 ? layers[i].Origin : "defaults";
}
