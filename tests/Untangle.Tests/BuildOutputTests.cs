using System.Runtime.InteropServices;

namespace Untangle.Tests;

/// <summary>
/// The build copies only this machine's native runtimes (build/CurrentPlatformRuntimes.targets).
/// Every test project is an executable that carries libtorch; with all platforms' copies the
/// solution's outputs ran past 9 GB and a clean CI checkout filled its disk.
/// </summary>
public class BuildOutputTests
{
    [Fact]
    public void Output_carries_native_runtimes_for_this_platform_only()
    {
        var runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        Directory.Exists(runtimes).Should().BeTrue("TorchSharp's native libraries live under runtimes/");
        // The portable RID (linux-x64, not debian.12-x64), as the SDK's NETCoreSdkPortableRuntimeIdentifier.
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var rid = $"{os}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        var kept = new[] { rid, os, "unix", "any" };

        // Folders with files in them: an incremental build removes the files it no longer copies but
        // leaves their empty folders behind.
        var folders = Directory.GetDirectories(runtimes)
            .Where(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Any())
            .Select(Path.GetFileName).ToArray();

        folders.Should().Contain(rid);
        folders.Should().OnlyContain(f => kept.Contains(f), $"only {string.Join(", ", kept)} belong to a {rid} build");
    }
}
