using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>Components made the way a run makes them: a factory, settings resolved as hyper.&lt;slot&gt;.*, and the method's arguments.</summary>
public static class Components
{
    public static TComponent Make<TComponent>(
        IComponentFactory<TComponent> factory, IReadOnlyDictionary<string, object>? arguments = null,
        IReadOnlyDictionary<string, string>? settings = null, string slot = "mi") =>
        SlotComponent.Make(factory, slot, settings, arguments);

    public static Dictionary<string, object> Dims(int x, int y) => new() { ["x_dim"] = x, ["y_dim"] = y };

    public static Dictionary<string, object> Input(int dim) => new() { ["input_dim"] = dim };

    /// <summary>A float32 matrix from rows written out by hand.</summary>
    public static Tensor Matrix(params float[][] rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    public static double Value(Tensor scalar) => scalar.detach().cpu().item<float>();
}
