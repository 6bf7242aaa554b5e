using System.Security.Cryptography;
using System.Text;

namespace Untangle.Host.Composition;

/// <summary>
/// SHA-256 over a resolved experiment's every key and final value (<see cref="ResolvedExperiment.Flat"/>,
/// sorted): two runs with the same fingerprint train the same thing. A checkpoint carries the
/// fingerprint of the run that wrote it and resumes only that configuration.
/// </summary>
public static class ConfigFingerprint
{
    public static string Of(ResolvedExperiment experiment)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in experiment.Flat.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            text.Append(key).Append('=').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
