using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Checks what setting ranges cannot: the method's arguments (x_dim, y_dim, input_dim) and settings
/// whose valid values depend on each other; a bad value names its key (hyper.&lt;slot&gt;.&lt;name&gt;).
/// Plain ranges are declared on the settings (SettingSpec.Positive, AtLeast) and checked by the resolver.
/// </summary>
internal static class ComponentSettings
{
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
