using System.Text.Json;
using System.Text.Json.Serialization;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>How checkpoint files are written as JSON: snake_case, indented, and NaN/∞ allowed (an early-stopping best starts as NaN).</summary>
internal static class CheckpointJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };
}
