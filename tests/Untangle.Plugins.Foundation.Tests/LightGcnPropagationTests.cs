using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

public class LightGcnPropagationTests
{
    private static readonly double R2 = 1 / Math.Sqrt(2);

    // Â of the 2-user/3-item graph (u0: i0, i1; u1: i1, i2), written out by hand; nodes u0 u1 i0 i1 i2.
    private static readonly double[,] A =
    {
        { 0, 0, R2, 0.5, 0 },
        { 0, 0, 0, 0.5, R2 },
        { R2, 0, 0, 0, 0 },
        { 0.5, 0.5, 0, 0, 0 },
        { 0, R2, 0, 0, 0 },
    };

    private static readonly double[,] E0 =
    {
        { 1, 0 },  // u0
        { 0, 1 },  // u1
        { 1, 1 },  // i0
        { 2, 0 },  // i1
        { 0, 2 },  // i2
    };

    [Fact]
    public void One_layer_is_the_mean_of_E0_and_A_E0()
    {
        var output = Propagate(layers: 1);

        // u0: (E0[u0] + Â E0 [u0]) / 2 = ([1, 0] + [1/√2 + 1, 1/√2]) / 2
        output[0][0].Should().BeApproximately((float)((1 + R2 + 1) / 2), 1e-5f);
        output[0][1].Should().BeApproximately((float)(R2 / 2), 1e-5f);
        var e1 = Times(A, E0);
        ShouldEqual(output, Mean(E0, e1));
    }

    [Fact]
    public void Two_layers_are_the_mean_of_E0_A_E0_and_A_A_E0()
    {
        var output = Propagate(layers: 2);

        var e1 = Times(A, E0);
        var e2 = Times(A, e1);
        // i1: E0 [2, 0]; Â E0 = (u0 + u1) / 2 = [0.5, 0.5]; Â² E0 = (Â E0[u0] + Â E0[u1]) / 2 = [(1/√2 + 1 + 1) / 2, (1/√2 + √2) / 2]
        output[3][0].Should().BeApproximately((float)((2 + 0.5 + (R2 + 2) / 2) / 3), 1e-5f);
        ShouldEqual(output, Mean(E0, e1, e2));
    }

    [Fact]
    public void Zero_layers_return_the_ego_embeddings_as_a_new_tensor()
    {
        var output = Propagate(layers: 0);
        ShouldEqual(output, E0);
    }

    [Fact]
    public void The_factory_reads_layers_from_the_slot_settings_and_rejects_negative_ones()
    {
        var factory = new LightGcnEncoderFactory();
        using var encoder = (LightGcnPropagation)SlotComponent.Make(factory, "encoder");
        encoder.Layers.Should().Be(3, "the paper's default");
        using var two = (LightGcnPropagation)SlotComponent.Make(factory, "encoder", new Dictionary<string, string> { ["layers"] = "2" });
        two.Layers.Should().Be(2);
        encoder.Module.parameters().Should().BeEmpty("light graph convolution has no weights");

        var act = () => SlotComponent.Make(factory, "encoder", new Dictionary<string, string> { ["layers"] = "-1" });
        act.Should().Throw<ArgumentException>().WithMessage("hyper.encoder.layers*-1*>= 0*");
    }

    private static float[][] Propagate(int layers)
    {
        using var scope = NewDisposeScope();
        var graph = NormalizedBipartiteGraph.Build(Fixtures.Matrix(3, [0, 1], [1, 2]), CPU);
        using var encoder = new LightGcnPropagation(layers);
        var e0 = tensor(Flatten(E0), [5, 2]);
        var output = Fixtures.Rows(encoder.Propagate(graph, e0));
        Fixtures.Rows(e0).Should().BeEquivalentTo(Fixtures.Rows(tensor(Flatten(E0), [5, 2])), "propagation leaves E0 alone");
        return output;
    }

    private static double[,] Times(double[,] a, double[,] b)
    {
        var result = new double[a.GetLength(0), b.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < b.GetLength(1); j++)
                for (int k = 0; k < a.GetLength(1); k++)
                    result[i, j] += a[i, k] * b[k, j];
        return result;
    }

    private static double[,] Mean(params double[][,] layers)
    {
        var result = new double[layers[0].GetLength(0), layers[0].GetLength(1)];
        foreach (var layer in layers)
            for (int i = 0; i < result.GetLength(0); i++)
                for (int j = 0; j < result.GetLength(1); j++)
                    result[i, j] += layer[i, j] / layers.Length;
        return result;
    }

    private static float[] Flatten(double[,] m) => m.Cast<double>().Select(v => (float)v).ToArray();

    private static void ShouldEqual(float[][] actual, double[,] expected)
    {
        actual.Length.Should().Be(expected.GetLength(0));
        for (int i = 0; i < actual.Length; i++)
            for (int j = 0; j < actual[i].Length; j++)
                actual[i][j].Should().BeApproximately((float)expected[i, j], 1e-5f, $"entry ({i}, {j})");
    }
}
