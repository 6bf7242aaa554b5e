using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Untangle.Tests.Tasks;

/// <summary>
/// A real one-node Slurm cluster for the array tests, from Debian's slurm-wlm and munge packages: a
/// munge key and munged on a socket of its own, a generated slurm.conf (this machine as the only node,
/// one partition, ports free at start), slurmctld and slurmd, all in a temporary folder and stopped
/// when the tests end. Clients find it through SLURM_CONF (<see cref="Environment"/>). The daemons run
/// as root, as slurmd must to start jobs. Missing outside CI (or not root), the tests are skipped with
/// one line; missing in CI (CI=true), they fail.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    public const string Needs = "the Slurm array tests need Debian's slurm-wlm and munge packages and root (apt-get install slurm-wlm munge; .ci/run installs them)";
    private static readonly string[] Tools = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"];
    private readonly string _folder = "";
    private readonly string? _missing;

    public SlurmCluster()
    {
        var absent = Tools.Where(t => Find(t) is null).ToList();
        if (absent.Count > 0 || System.Environment.UserName != "root" || OperatingSystem.IsWindows())
        {
            _missing = $"{Needs}; missing: {(absent.Count > 0 ? string.Join(", ", absent) : "root")}";
            return;
        }
        _folder = Scratch.Folder("untangle-slurm-").FullName;
        foreach (var sub in new[] { "state", "spool" }) Directory.CreateDirectory(Path.Combine(_folder, sub));
        var key = Path.Combine(_folder, "munge.key");
        Run("mungekey", "--create", "--keyfile", key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Run("munged", "--force", $"--key-file={key}", $"--socket={Socket}", $"--pid-file={Pid("munged")}",
            $"--log-file={Path.Combine(_folder, "munged.log")}", $"--seed-file={Path.Combine(_folder, "munge.seed")}");
        var node = Run("hostname", "-s").Trim();
        File.WriteAllText(Conf, $"""
            ClusterName=untangletest
            SlurmctldHost={node}
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            AuthType=auth/munge
            AuthInfo=socket={Socket}
            CredType=cred/munge
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation={Path.Combine(_folder, "state")}
            SlurmdSpoolDir={Path.Combine(_folder, "spool")}
            SlurmctldPidFile={Pid("slurmctld")}
            SlurmdPidFile={Pid("slurmd")}
            SlurmctldLogFile={Path.Combine(_folder, "slurmctld.log")}
            SlurmdLogFile={Path.Combine(_folder, "slurmd.log")}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            MpiDefault=none
            ReturnToService=2
            JobCompType=jobcomp/none
            AccountingStorageType=accounting_storage/none
            NodeName={node} CPUs={System.Environment.ProcessorCount} State=UNKNOWN
            PartitionName=untangle Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """);
        Run("slurmctld", "-f", Conf);
        Run("slurmd", "-f", Conf);
        var clock = Stopwatch.StartNew();
        while (Run("sinfo", "-h", "-o", "%T").Trim() != "idle")
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException($"the test cluster's node did not become idle in 60 s; see {_folder}/slurmctld.log and slurmd.log");
            Thread.Sleep(200);
        }
    }

    private string Socket => Path.Combine(_folder, "munge.socket");
    private string Conf => Path.Combine(_folder, "slurm.conf");
    private string Pid(string daemon) => Path.Combine(_folder, $"{daemon}.pid");

    /// <summary>What a client of this cluster needs in its environment.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = Conf };

    /// <summary>Skips the test when there is no cluster outside CI; fails it in CI.</summary>
    public void Require()
    {
        if (_missing is null) return;
        if (System.Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(_missing);
        Skip.If(true, _missing);
    }

    public void Dispose()
    {
        if (_missing is not null) return;
        foreach (var daemon in new[] { "slurmd", "slurmctld", "munged" })
            if (File.Exists(Pid(daemon)) && int.TryParse(File.ReadAllText(Pid(daemon)).Trim(), out var pid))
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    process.WaitForExit(10_000);
                }
                catch (ArgumentException) { } // already gone
    }

    private static string? Find(string tool) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A Slurm or munge tool, found in the system folders, pointed at this cluster once its folder exists.</summary>
    private string Run(string tool, params string[] args) =>
        ServiceCommand.Run(Find(tool) ?? tool, _folder.Length > 0 ? Environment : null, args);
}
