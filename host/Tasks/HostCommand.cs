namespace Untangle.Host.Tasks;

/// <summary>
/// How another process runs this same host: the apphost or tool shim itself (`untangle`), or
/// `dotnet Untangle.Host.dll` when the host was started through dotnet. Array tasks and the local
/// executor's children run exactly the build that planned them.
/// </summary>
public static class HostCommand
{
    public static IReadOnlyList<string> Prefix()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name is "Untangle.Host" or "untangle") return [process];
        var dotnet = name == "dotnet" ? process : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [dotnet, Path.Combine(AppContext.BaseDirectory, "Untangle.Host.dll")];
    }

    /// <summary>A word for a POSIX shell: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '=' or ':' or ',' or '@' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
