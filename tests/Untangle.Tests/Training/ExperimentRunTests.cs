using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;

namespace Untangle.Tests.Training;

[Collection(TorchGeneratorCollection.Name)]
public class ExperimentRunTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance).Load(["plugins/Foundation"], [AppContext.BaseDirectory]);

    private static RunOutcome Run(string method, int seed, params (string, string)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["method"] = method, ["dataset.reader"] = "synthetic", ["dataset.users"] = "150", ["dataset.items"] = "80",
            ["protocol.name"] = "weak-random", ["train.epochs"] = "2", ["train.batch_size"] = "512", ["train.seed"] = seed.ToString(),
            ["eval.metrics"] = "ndcg@10,recall@10",
        };
        foreach (var (k, v) in extra) values[k] = v;
        var experiment = new ExperimentResolver(Catalog).Resolve("test", [new ConfigSource("test", values)]);
        return new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, Scratch.Folder("untangle-exp-").FullName);
    }

    [Fact]
    public void The_same_seed_gives_the_same_metrics_on_cpu()
    {
        var first = Run("bpr-mf", 5);
        var second = Run("bpr-mf", 5);
        var other = Run("bpr-mf", 6);

        second.Test["ndcg@10"].Mean.Should().Be(first.Test["ndcg@10"].Mean);
        second.Test["recall@10"].PerUser.Should().Equal(first.Test["recall@10"].PerUser);
        other.Test["ndcg@10"].Mean.Should().NotBe(first.Test["ndcg@10"].Mean, "another seed gives another split and initialisation");
    }

    [Fact]
    public void A_method_that_cannot_fold_in_users_is_refused_on_held_out_users_before_training()
    {
        var act = () => Run("bpr-mf", 1, ("protocol.name", "strong"), ("protocol.heldout_users", "20"), ("protocol.rating_threshold", "0"));
        act.Should().Throw<ConfigurationException>().WithMessage("method 'bpr-mf' scores only users it trained on*strong*");
    }

    [Fact]
    public void Asking_for_cuda_without_a_cuda_device_is_a_clear_error()
    {
        var act = () => Devices.Resolve("cuda");
        act.Should().Throw<ConfigurationException>().WithMessage("device=cuda: TorchSharp reports no CUDA device*");
        Devices.Resolve("auto").type.Should().Be(TorchSharp.DeviceType.CPU);
        FluentActions.Invoking(() => Devices.Resolve("tpu")).Should().Throw<ConfigurationException>().WithMessage("device=tpu: not known*");
    }
}
