using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>Reads and checks a component's settings and arguments; a bad value names its key (hyper.&lt;slot&gt;.&lt;name&gt;).</summary>
internal static class ComponentSettings
{
    public static int PositiveInt(ComponentContext context, string name)
    {
        int value = context.Settings.Int(name);
        if (value <= 0) throw Invalid(context, name, value, "a positive integer");
        return value;
    }

    public static double PositiveFloat(ComponentContext context, string name)
    {
        double value = context.Settings.Float(name);
        if (!(value > 0) || double.IsInfinity(value)) throw Invalid(context, name, value, "a positive number");
        return value;
    }

    public static double NonNegativeFloat(ComponentContext context, string name)
    {
        double value = context.Settings.Float(name);
        if (!(value >= 0) || double.IsInfinity(value)) throw Invalid(context, name, value, "a number >= 0");
        return value;
    }

    /// <summary>A positive size the method passes (x_dim, y_dim, input_dim).</summary>
    public static int Dimension(ComponentContext context, string argument)
    {
        int value = context.Argument<int>(argument);
        if (value <= 0)
            throw new ArgumentException($"component in slot '{context.Slot}' got argument {argument} = {value}; expected a positive integer");
        return value;
    }

    public static ArgumentException Invalid(ComponentContext context, string name, object value, string expected) =>
        new($"hyper.{context.Slot}.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
}
