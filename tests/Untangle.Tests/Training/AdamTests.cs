using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Tests.Training;

/// <summary>The engine's Adam makes its Scalars for each step and disposes them; its updates and saved state are TorchSharp's Adam's, bit for bit.</summary>
public class AdamTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Twenty_steps_give_the_same_bits_as_torchsharps_adam_and_the_same_saved_state(double weightDecay)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var start = randn([6, 5], generator: generator);
        var targets = Enumerable.Range(0, 20).Select(_ => randn([6, 5], generator: generator)).ToList();
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var held = new Untangle.Host.Training.Optimizers.Adam([ours], 0.01, 0.9, 0.999, weightDecay: weightDecay);
        using var reference = new TorchSharp.Modules.Adam([theirs], 0.01, 0.9, 0.999, weight_decay: weightDecay);

        foreach (var target in targets)
        {
            Step(held, ours, target);
            Step(reference, theirs, target);
        }

        ours.data<float>().ToArray().Should().Equal(theirs.data<float>().ToArray(), "the same operations in the same order give the same floats");
        ours.data<float>().ToArray().Should().NotEqual(start.data<float>().ToArray(), "the steps moved the parameters");
        var folder = Scratch.Folder("untangle-adam-").FullName;
        held.save_state_dict(Path.Combine(folder, "held.pt"));
        reference.save_state_dict(Path.Combine(folder, "reference.pt"));
        File.ReadAllBytes(Path.Combine(folder, "held.pt")).Should().Equal(File.ReadAllBytes(Path.Combine(folder, "reference.pt")),
            "a checkpoint written by either loads into the other");
    }

    private static void Step(optim.Optimizer optimizer, Parameter parameter, Tensor target)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var difference = parameter - target;
        (difference * difference).sum().backward();
        optimizer.step();
    }
}
