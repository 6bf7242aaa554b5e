using Untangle.Contracts.Settings;

namespace Untangle.Plugins.VaeCF;

/// <summary>One clear message for a bad hyper-parameter: its key, its value and what is expected.</summary>
public static class HyperParameterCheck
{
    public static void Require(bool ok, string key, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"{key}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
