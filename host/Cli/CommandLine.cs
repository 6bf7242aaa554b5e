namespace Untangle.Host.Cli;

/// <summary>
/// The parsed command line: <c>VERB [POSITIONAL] [--set key=value]... [--config FILE] [--out DIR]
/// [--plugins FILE] [--json]</c>. With no verb, <c>run</c> the default experiment.
/// </summary>
public sealed record CommandLine
{
    public string Verb { get; init; } = "run";
    public List<string> Positional { get; } = [];
    public List<string> Sets { get; } = [];
    public string? ConfigFile { get; init; }
    public string? Out { get; init; }
    public string? PluginsFile { get; init; }
    public bool Json { get; init; }
    public string? Seeds { get; init; }

    public const string Usage = """
        usage: untangle [VERB] [options]
          run [EXPERIMENT|FILE.json] [--set key=value]... [--config FILE] [--out DIR]
                                  train and evaluate an experiment (default: plugins.json's default)
          bench NAME [--seeds 5|1,2,3] [--set key=value]... [--config FILE] [--out DIR]
                                  run a benchmark from plugins.json over several seeds: mean ± s.e. per metric, s/epoch
          plugins [--json]        list plugins, their components, the experiments and the benchmarks
          show NAME               a component's slots, hyper-parameters or options, with types, defaults and docs
          help                    this text
        common options: --plugins FILE (plugins.json to use)
        """;

    public static CommandLine Parse(string[] args)
    {
        string verb = "run";
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            verb = args[0];
            i = 1;
        }
        string? config = null, outDir = null, plugins = null, seeds = null;
        bool json = false;
        var positional = new List<string>();
        var sets = new List<string>();
        for (; i < args.Length; i++)
        {
            string Next(string flag) => i + 1 < args.Length ? args[++i] : throw new UsageException($"{flag} needs a value");
            switch (args[i])
            {
                case "--set": sets.Add(Next("--set")); break;
                case "--config": config = Next("--config"); break;
                case "--out": outDir = Next("--out"); break;
                case "--plugins": plugins = Next("--plugins"); break;
                case "--json": json = true; break;
                case "--seeds": seeds = Next("--seeds"); break;
                case "-h" or "--help": verb = "help"; break;
                case var a when a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='):
                    // --train.epochs=5 is shorthand for --set train.epochs=5
                    sets.Add(a[2..]);
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new UsageException($"unknown option {a}");
                default: positional.Add(args[i]); break;
            }
        }
        var line = new CommandLine { Verb = verb, ConfigFile = config, Out = outDir, PluginsFile = plugins, Json = json, Seeds = seeds };
        line.Positional.AddRange(positional);
        line.Sets.AddRange(sets);
        return line;
    }
}

/// <summary>A malformed command line: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
