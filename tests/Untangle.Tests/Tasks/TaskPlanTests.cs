using Untangle.Host;
using Untangle.Host.Cli;
using Untangle.Host.Tasks;

namespace Untangle.Tests.Tasks;

public class TaskPlanTests
{
    private static TaskPlan Plan(string root, string set = "train.epochs=2") => new()
    {
        Kind = "sweep", Name = "lr", Root = root, WorkingDirectory = "/work", Store = "/shared/untangle.db", PluginsFile = "/work/plugins.json",
        PluginDirs = ["/work/extra"], Sets = [set], Metric = "ndcg@20",
        Tasks = [new TaskSpec(0, "bpr-mf-ml100k", 1, ["hyper.learning_rate=0.001"], "config-0/seed-1", 0), new TaskSpec(1, "bpr-mf-ml100k", 2, ["hyper.learning_rate=0.001"], "config-0/seed-2", 0)],
    };

    [Fact]
    public void A_plan_is_read_back_as_written_and_each_task_becomes_a_run_line_with_its_seed_last()
    {
        var root = Scratch.Folder("untangle-plan-").FullName;
        var plan = Plan(root);
        plan.Save();

        var read = TaskPlan.Load(root);
        read.SameTasks(plan).Should().BeTrue();
        read.Metric.Should().Be("ndcg@20");
        read.PluginDirs.Should().Equal("/work/extra");
        var line = read.RunLine(read.Tasks[1]);
        line.Positional.Should().Equal("bpr-mf-ml100k");
        line.Sets.Should().Equal("train.epochs=2", "hyper.learning_rate=0.001", "train.seed=2");
        line.Out.Should().Be(Path.Combine(root, "config-0/seed-2"));
        line.Store.Should().Be("/shared/untangle.db");
        read.ResumeLine(read.Tasks[0]).Resume.Should().Be(Path.Combine(root, "config-0/seed-1"));
        read.SameTasks(Plan(root, "train.epochs=3")).Should().BeFalse("other settings are another plan");
    }

    [Fact]
    public void A_folder_holding_another_plan_is_refused_and_the_same_plan_is_a_resubmission()
    {
        var root = Scratch.Folder("untangle-plan-").FullName;
        PlanExecution.Prepare(Plan(root), "--out");
        FluentActions.Invoking(() => PlanExecution.Prepare(Plan(root), "--out")).Should().NotThrow();
        FluentActions.Invoking(() => PlanExecution.Prepare(Plan(root, "train.epochs=3"), "--out")).Should().Throw<ConfigurationException>()
            .WithMessage($"--out {root}: holds sweep lr with other tasks or settings ({root}/tasks.json); choose a new folder, or give the same sweep and settings to continue it");
    }

    [Fact]
    public void What_is_not_a_plan_is_named()
    {
        var root = Scratch.Folder("untangle-plan-").FullName;
        FluentActions.Invoking(() => TaskPlan.Load(root)).Should().Throw<ConfigurationException>().WithMessage($"{root}/tasks.json: not found; expected the folder of a bench or sweep submitted with --executor*");
        File.WriteAllText(Path.Combine(root, "tasks.json"), "{\"kind\": \"bench\"}");
        FluentActions.Invoking(() => TaskPlan.Load(root)).Should().Throw<ConfigurationException>().WithMessage($"{root}/tasks.json: not a task plan (key 'name' is missing)*");
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 9, 1, 2 }, "1-2,9")]
    public void Array_indices_are_written_as_sbatch_ranges(int[] indices, string expected) => SlurmArray.Ranges(indices).Should().Be(expected);

    [Fact]
    public void The_kubernetes_manifest_is_an_indexed_job_running_each_task_on_the_shared_volume()
    {
        var root = Scratch.Folder("untangle-plan-").FullName;
        var path = KubernetesJob.Write(Plan(root), new KubernetesOptions("registry.example.org/untangle:0.9.0", "untangle-runs", 2, 4));
        var yaml = File.ReadAllText(path);
        yaml.Should().Contain("kind: Job").And.Contain("completionMode: Indexed").And.Contain("completions: 2").And.Contain("parallelism: 4")
            .And.Contain("image: \"registry.example.org/untangle:0.9.0\"")
            .And.Contain($"command: [\"untangle\", \"task\", \"{root}/tasks.json\"]")
            .And.Contain("workingDir: \"/work\"").And.Contain("mountPath: \"/work\"").And.Contain("claimName: \"untangle-runs\"")
            .And.Contain("cpu: \"2\"").And.Contain("name: untangle-sweep-lr\n");
    }

    [Fact]
    public void Executor_options_are_checked_on_the_command_line()
    {
        var line = CommandLine.Parse(["sweep", "s", "--executor", "slurm", "--partition", "gpu", "--time", "1-02:00:00", "--cpus", "4", "--max-parallel", "8", "--wait"]);
        (line.Executor, line.Partition, line.Time, line.Cpus, line.MaxParallel, line.Wait).Should().Be(("slurm", "gpu", "1-02:00:00", 4, 8, true));
        FluentActions.Invoking(() => CommandLine.Parse(["bench", "b", "--executor", "pbs"])).Should().Throw<UsageException>()
            .WithMessage("--executor pbs: expected one of local, slurm, kubernetes");
        FluentActions.Invoking(() => CommandLine.Parse(["bench", "b", "--time", "two hours"])).Should().Throw<UsageException>()
            .WithMessage("--time two hours: expected Slurm's time limit, e.g. 02:00:00 or 1-00:00:00");
        FluentActions.Invoking(() => CommandLine.Parse(["bench", "b", "--cpus", "0"])).Should().Throw<UsageException>().WithMessage("--cpus 0: expected a positive whole number");
        FluentActions.Invoking(() => PlanCommands.Options(CommandLine.Parse(["bench", "b", "--executor", "kubernetes"]), "local")).Should().Throw<UsageException>()
            .WithMessage("--executor kubernetes needs --image IMAGE*");
        FluentActions.Invoking(() => PlanCommands.Options(CommandLine.Parse(["bench", "b", "--time", "01:00:00"]), "local")).Should().Throw<UsageException>()
            .WithMessage("--partition and --time are sbatch's; they need --executor slurm (got local)");
    }
}
