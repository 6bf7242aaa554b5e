using System.Diagnostics;
using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// A plugin written outside this repository, as its author meets Untangle: `dotnet pack` puts the SDK
/// (Untangle.Contracts), the template pack and the host as a .NET tool into a folder feed;
/// `dotnet new untangle-plugin` makes a project in a folder of its own, which builds and tests
/// against that feed only (no project reference into this repository); the packed tool, installed
/// into a tool path, loads the plugin from --plugins-dir and from the user plugins folder, lists it
/// in `plugins`, and trains its sample experiment.
/// The packages are packed from this test run's build (--no-build) under a version of their own, and
/// restored into a package folder inside the test's scratch folder, so nothing outside it changes.
/// </summary>
public class PluginSdkTests
{
    [Fact]
    public void A_plugin_made_from_the_template_builds_against_the_packed_SDK_and_runs_in_the_packed_tool()
    {
        var root = Scratch.Folder("untangle-sdk-").FullName;
        var (feed, work, tools, home) = (Path.Combine(root, "feed"), Path.Combine(root, "work"), Path.Combine(root, "tools"), Path.Combine(root, "home"));
        Directory.CreateDirectory(work);
        var version = $"0.0.1-e2e.{Environment.ProcessId}";
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0

        foreach (var project in new[] { "contracts/Untangle.Contracts.csproj", "templates/Untangle.Templates.csproj", "host/Untangle.Host.csproj" })
            Dotnet(HostProcess.Repo, "pack", Path.Combine(HostProcess.Repo, project), "-c", configuration, "--no-build", "-o", feed, $"-p:UntangleVersion={version}");
        Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Should().BeEquivalentTo(
            [$"Untangle.Contracts.{version}.nupkg", $"Untangle.Templates.{version}.nupkg", $"Untangle.Tool.{version}.nupkg"]);

        // The feed and nothing of this repository: Untangle.* restore from the feed into the scratch
        // package folder; TorchSharp, xunit and the rest from the machine's NuGet cache or its sources.
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" /></config>
              <packageSources><add key="untangle" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{MachinePackages()}" /></fallbackPackageFolders>
            </configuration>
            """);
        var hive = Path.Combine(root, "hive");
        Dotnet(work, "new", "install", Path.Combine(feed, $"Untangle.Templates.{version}.nupkg"), "--debug:custom-hive", hive);
        Dotnet(work, "new", "untangle-plugin", "-n", "Jade", "--debug:custom-hive", hive);
        var plugin = Path.Combine(work, "Jade");
        File.ReadAllText(Path.Combine(plugin, "Jade", "Jade.csproj")).Should().Contain($"Include=\"Untangle.Contracts\" Version=\"{version}\"")
            .And.NotContain("ProjectReference");

        Dotnet(plugin, "build", "-c", "Release");
        var output = Path.Combine(plugin, "Jade", "bin", "Release", "net10.0");
        Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).Should().Equal(["Jade.dll"],
            "the contracts, TorchSharp and MEF are the host's, never copied into a plugin");
        Dotnet(plugin, "test", "-c", "Release", "--no-build").Should().Contain("Passed!");

        Dotnet(work, "tool", "install", "Untangle.Tool", "--tool-path", tools, "--version", version);
        var untangle = Path.Combine(tools, "untangle");
        var environment = new Dictionary<string, string> { ["UNTANGLE_HOME"] = home };

        var listed = Run(untangle, plugin, environment, "plugins", "--plugins-dir", output, "--json");
        using (var json = JsonDocument.Parse(listed))
        {
            var jade = json.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Jade");
            jade.GetProperty("loaded").GetBoolean().Should().BeTrue(listed);
            jade.GetProperty("origin").GetString().Should().Be("--plugins-dir");
            jade.GetProperty("path").GetString().Should().Be(Path.Combine(output, "Jade.dll"));
            jade.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Equal("jade");
            json.RootElement.GetProperty("plugins").EnumerateArray().Should().Contain(p => p.GetProperty("name").GetString() == "InfoBounds",
                "the tool carries the repository's plugins");
        }

        var first = Path.Combine(root, "runs", "first");
        Run(untangle, plugin, environment, "run", "experiments/jade-synthetic.json", "--plugins-dir", output, "--out", first, "--store", Path.Combine(root, "store.db"));
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "metrics.json"))))
        {
            metrics.RootElement.GetProperty("method").GetString().Should().Be("jade");
            metrics.RootElement.GetProperty("test").GetProperty("ndcg@20").GetDouble().Should().BeGreaterThan(0);
        }

        // Installed into the user plugins folder, the plugin loads with no option, and mixes with another plugin's estimator.
        CopyFolder(output, Path.Combine(home, "plugins", "Jade"));
        Run(untangle, plugin, environment, "plugins").Should().MatchRegex(@"loaded  Jade .*\(from user folder\)");
        var mixed = Path.Combine(root, "runs", "club");
        Run(untangle, plugin, environment, "run", "experiments/jade-synthetic.json", "--set", "components.separation=club", "--set", "train.epochs=2",
            "--out", mixed, "--store", Path.Combine(root, "store.db"));
        File.ReadAllText(Path.Combine(mixed, "config.json")).Should().Contain("\"components.separation\": \"club\"");
        File.ReadLines(Path.Combine(mixed, "epochs.jsonl")).First().Should().Contain("\"club\"", "the slot's term is named after the estimator in it");
    }

    /// <summary>The machine's NuGet package folder, where the repository's own restore put TorchSharp, xunit and the rest.</summary>
    private static string MachinePackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Dotnet(string workingDirectory, params string[] args) =>
        Run("dotnet", workingDirectory, new Dictionary<string, string>(), [.. args, .. args[0] is "build" or "pack" or "test" ? ["-nodeReuse:false"] : Array.Empty<string>()]);

    /// <summary>Runs a command to the end (6 minutes at most) and returns its output; a non-zero exit fails the test with both streams.</summary>
    private static string Run(string file, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        // A child build starts without the MSBUILD*/VSTEST* variables the test runner may have set, and
        // leaves no MSBuild node or build server behind that could keep this process's output pipes open.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var command = $"{file} {string.Join(' ', args)}";
        process.WaitForExit(TimeSpan.FromMinutes(6)).Should().BeTrue($"{command} finishes within 6 minutes");
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{command} (in {workingDirectory}) succeeds:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
