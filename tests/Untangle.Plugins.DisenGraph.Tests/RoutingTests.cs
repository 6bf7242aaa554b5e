using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.Foundation.Tests;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph.Tests;

/// <summary>
/// Both routing encoders on hand-made graphs: two communities whose nodes agree in different
/// channels route their edges to those channels; every edge's routing is a distribution over the
/// channels; gradients reach the embeddings through every routing iteration.
/// </summary>
public class RoutingTests
{
    public static TheoryData<string> Encoders => [DisenGraphPlugin.DisenRouting, DisenGraphPlugin.IntentRouting];

    private static RoutingEncoder Encoder(string name, int channels, int iterations, int layers = 1) => name switch
    {
        DisenGraphPlugin.DisenRouting => new NeighbourhoodRouting(channels, iterations, layers, temperature: 1.0),
        _ => new IntentRouting(channels, iterations, layers),
    };

    /// <summary>
    /// Users 0-7 interact with items 0-7 only, users 8-15 with items 8-15 only. Two channels of two
    /// dimensions: every node of the first community points the same way in channel 0 and a random
    /// way in channel 1; the second community the other way round.
    /// </summary>
    private static (Tensor Graph, Tensor Embeddings) TwoCommunities(ScalarType type = ScalarType.Float32)
    {
        var rows = Enumerable.Range(0, 16).Select(u => Enumerable.Range(u < 8 ? 0 : 8, 8).ToArray()).ToArray();
        var graph = NormalizedBipartiteGraph.Build(Fixtures.Matrix(16, rows), CPU);
        var random = new Random(5);
        var values = new double[32, 4];
        for (int node = 0; node < 32; node++)
        {
            bool first = First(node);
            int shared = first ? 0 : 1, other = 1 - shared;
            values[node, 2 * shared] = 1.0;
            values[node, 2 * shared + 1] = 0.1 * (random.NextDouble() - 0.5);
            double angle = 2 * Math.PI * random.NextDouble();
            values[node, 2 * other] = Math.Cos(angle);
            values[node, 2 * other + 1] = Math.Sin(angle);
        }
        return (graph, tensor(values).to(type));
    }

    private static bool First(long node) => node < 8 || (node >= 16 && node < 24);

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Two_disconnected_communities_route_to_different_channels(string name)
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder(name, channels: 2, iterations: 4);
        var (graph, embeddings) = TwoCommunities();

        var (_, routing) = encoder.Route(graph, embeddings);

        var edges = encoder.EdgesOf(graph);
        var heads = edges.Heads.data<long>().ToArray();
        var weights = routing.data<float>().ToArray();
        double firstOnChannel0 = heads.Select((h, e) => (h, e)).Where(p => First(p.h)).Average(p => weights[2 * p.e]);
        double secondOnChannel1 = heads.Select((h, e) => (h, e)).Where(p => !First(p.h)).Average(p => weights[2 * p.e + 1]);
        // A neighbourhood's normalised sum leans towards its own members in the random channel too,
        // so the agreeing channel wins by a margin, not outright.
        firstOnChannel0.Should().BeGreaterThan(0.55, "the first community's nodes agree in channel 0");
        secondOnChannel1.Should().BeGreaterThan(0.55, "the second community's nodes agree in channel 1");
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Each_edges_routing_is_a_distribution_over_the_channels(string name)
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder(name, channels: 2, iterations: 3, layers: 2);
        var (graph, embeddings) = TwoCommunities();

        var (output, routing) = encoder.Route(graph, embeddings);

        output.shape.Should().Equal(32, 4);
        routing.shape.Should().Equal(256, 2); // 128 interactions, one edge each way
        routing.min().item<float>().Should().BeGreaterThanOrEqualTo(0);
        routing.sum(1).PlusValue(-1).abs().max().item<float>().Should().BeLessThan(1e-6f);
        encoder.Propagate(graph, embeddings).allclose(output).Should().BeTrue("Propagate is Route's output");
    }

    /// <summary>
    /// The autograd gradient of a fixed linear read-out of the output equals central finite
    /// differences of the whole encoder, in float64. Finite differences see every path from the
    /// embeddings to the output, including the one through the routing weights of every
    /// iteration; had any iteration's routing been detached, autograd would miss that path and the
    /// two would differ (as both official codes, nothing is detached).
    /// </summary>
    [Theory]
    [MemberData(nameof(Encoders))]
    public void Gradients_flow_through_every_routing_iteration(string name)
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder(name, channels: 2, iterations: 3, layers: 2);
        var (graph, start) = TwoCommunities(ScalarType.Float64);
        var generator = new Generator(3);
        var readout = randn([32, 4], dtype: float64, generator: generator);
        var direction = randn([32, 4], dtype: float64, generator: generator);
        double Value(Tensor x) => (encoder.Propagate(graph, x) * readout).sum().item<double>();

        var embeddings = start.clone().requires_grad_(true);
        (encoder.Propagate(graph, embeddings) * readout).sum().backward();
        double analytic = (embeddings.grad! * direction).sum().item<double>();

        const double step = 1e-6;
        double numeric;
        using (no_grad())
            numeric = (Value(start.Plus(direction.Times(step))) - Value(start.Plus(direction.Times(-step)))) / (2 * step);

        analytic.Should().BeApproximately(numeric, 1e-6 * Math.Max(1, Math.Abs(numeric)));
    }

    [Fact]
    public void One_encoder_serves_two_graphs_in_turn_as_two_encoders_would()
    {
        using var scope = NewDisposeScope();
        using var shared = new IntentRouting(2, 2, 1);
        using var alone = new IntentRouting(2, 2, 1);
        var (graph, embeddings) = TwoCommunities();
        var other = NormalizedBipartiteGraph.Build(Fixtures.Matrix(16, Enumerable.Range(0, 16).Select(u => new[] { u, (u + 1) % 16 }).ToArray()), CPU);

        var first = shared.Propagate(graph, embeddings);
        var second = shared.Propagate(other, embeddings);
        var again = shared.Propagate(graph, embeddings);

        again.allclose(first).Should().BeTrue();
        second.allclose(alone.Propagate(other, embeddings)).Should().BeTrue();
        second.allclose(first).Should().BeFalse("the second graph has other edges");
    }

    [Fact]
    public void Channels_that_do_not_divide_the_embedding_size_fail_with_the_sizes()
    {
        using var scope = NewDisposeScope();
        using var encoder = new IntentRouting(3, 2, 1);
        var (graph, embeddings) = TwoCommunities();

        FluentActions.Invoking(() => encoder.Route(graph, embeddings))
            .Should().Throw<ArgumentException>().WithMessage("embedding size 4 does not split into 3 channels*");
    }
}
