using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Untangle.Host.Serve;

namespace Untangle.Host.Cli;

/// <summary>
/// `serve [--queue DIR] [--out DIR] [--store FILE] [--drain]`: the headless host. The generic host
/// with the console lifetime (Ctrl+C, SIGTERM) and, when started by systemd, its lifetime and
/// notifications; Serilog configured from appsettings.json beside the host; the queue worker
/// (<see cref="QueueService"/>). Exit code 0 after a clean stop, 1 when the server itself failed.
/// </summary>
public static class ServeCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Positional.Count > 0) throw new UsageException($"serve takes no experiment; drop experiment files into the queue's incoming/ folder");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory, // appsettings.json is read from beside the host
        });
        var overrides = new Dictionary<string, string?>();
        if (line.Queue is not null) overrides[$"{ServeSettings.Section}:Queue"] = Path.GetFullPath(line.Queue);
        if (line.Out is not null) overrides[$"{ServeSettings.Section}:Runs"] = Path.GetFullPath(line.Out);
        if (line.Store is not null) overrides[$"{ServeSettings.Section}:Store"] = Untangle.Host.Store.PostgresLocation.Settled(line.Store);
        if (line.PluginsFile is not null) overrides[$"{ServeSettings.Section}:Plugins"] = Path.GetFullPath(line.PluginsFile);
        if (line.Drain) overrides[$"{ServeSettings.Section}:Drain"] = "true";
        for (int i = 0; i < line.PluginDirs.Count; i++) overrides[$"{ServeSettings.Section}:PluginDirs:{i}"] = Path.GetFullPath(line.PluginDirs[i]);
        builder.Configuration.AddInMemoryCollection(overrides);
        var settings = ServeSettings.From(builder.Configuration);

        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddSerilog((_, config) => Logging.FromConfiguration(config, builder.Configuration));
        var state = new ServeState();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(state);
        builder.Services.AddHostedService<QueueService>();
        using var host = builder.Build();
        host.Run();

        // Logged here, while the configured sinks are still open (disposing the host closes them).
        if (state.Fatal is not null)
        {
            Log.Fatal(state.Fatal, "serve failed: {Error}", Runs.FailureMessage.Describe(state.Fatal));
            throw state.Fatal;
        }
        Log.Information("serve stopped: {Finished} finished, {Failed} failed, {Interrupted} interrupted in this session", state.Finished, state.Failed, state.Interrupted);
        return 0;
    }
}
