using Untangle.Contracts.Components;
using Untangle.Plugins.MacridVae;
using Untangle.Plugins.VaeCF;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>The three methods, small enough to train in milliseconds, for the tests every method must pass.</summary>
public static class MethodCases
{
    public static TheoryData<string> Names => new() { "multdae", "multvae", "macridvae" };

    public static IMethod Method(string name) => name switch
    {
        "multdae" => new MultDaeMethod(),
        "multvae" => new MultVaeMethod(),
        "macridvae" => new MacridVaeMethod(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Small layers and a larger learning rate so the tests stay fast; otherwise the defaults.</summary>
    public static IReadOnlyDictionary<string, string> SmallHyper(string name) => name switch
    {
        "multdae" => new Dictionary<string, string> { ["latent_dim"] = "8", ["learning_rate"] = "0.01" },
        "multvae" => new Dictionary<string, string> { ["latent_dim"] = "4", ["hidden_dims"] = "[8]", ["learning_rate"] = "0.01" },
        _ => new Dictionary<string, string> { ["dim"] = "8", ["concepts"] = "2", ["learning_rate"] = "0.03" },
    };
}
