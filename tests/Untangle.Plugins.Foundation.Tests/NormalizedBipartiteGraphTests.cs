using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

public class NormalizedBipartiteGraphTests
{
    private static readonly float R2 = (float)(1 / Math.Sqrt(2));

    [Fact]
    public void Two_users_three_items_give_the_hand_computed_symmetric_matrix()
    {
        // u0 saw i0, i1; u1 saw i1, i2. Degrees: u0 2, u1 2, i0 1, i1 2, i2 1.
        // Nodes: 0 u0, 1 u1, 2 i0, 3 i1, 4 i2. Â[u, U+i] = 1 / sqrt(d_u d_i).
        var train = Fixtures.Matrix(3, [0, 1], [1, 2]);
        using var scope = NewDisposeScope();

        var adjacency = SlotComponent.Make(new UserItemGraphFactory(), "graph").Build(
            new Untangle.Contracts.Components.GraphInput { Interactions = train, Device = CPU });

        adjacency.is_sparse.Should().BeTrue();
        adjacency.dtype.Should().Be(ScalarType.Float32);
        adjacency.shape.Should().Equal(5, 5);
        float[][] expected =
        [
            [0, 0, R2, 0.5f, 0],
            [0, 0, 0, 0.5f, R2],
            [R2, 0, 0, 0, 0],
            [0.5f, 0.5f, 0, 0, 0],
            [0, R2, 0, 0, 0],
        ];
        var actual = Fixtures.Rows(adjacency);
        for (int r = 0; r < 5; r++)
        {
            actual[r].Should().Equal(expected[r], (a, e) => Math.Abs(a - e) < 1e-6, $"row {r}");
            for (int c = 0; c < 5; c++) actual[r][c].Should().Be(actual[c][r], $"Â is symmetric at ({r}, {c})");
        }
    }

    [Fact]
    public void An_isolated_item_and_an_isolated_user_get_zero_rows_and_no_NaN()
    {
        // u0 saw i0, i1; u1 saw i1; u2 saw nothing; i2 nobody saw.
        // Degrees: u0 2, u1 1, u2 0, i0 1, i1 2, i2 0. Nodes: 0-2 users, 3 i0, 4 i1, 5 i2.
        var train = Fixtures.Matrix(3, [0, 1], [1], []);
        using var scope = NewDisposeScope();

        var adjacency = NormalizedBipartiteGraph.Build(train, CPU);

        adjacency.SparseValues.shape[0].Should().Be(2 * train.Count, "only interactions are stored, never a dense (U+I)² matrix");
        var actual = Fixtures.Rows(adjacency);
        actual.SelectMany(r => r).Should().OnlyContain(v => float.IsFinite(v));
        actual[2].Should().OnlyContain(v => v == 0f, "user u2 has no items");
        actual[5].Should().OnlyContain(v => v == 0f, "item i2 has no users");
        actual.Select(r => r[5]).Should().OnlyContain(v => v == 0f);
        actual[0][3].Should().BeApproximately(R2, 1e-6f);     // 1/sqrt(2·1)
        actual[0][4].Should().BeApproximately(0.5f, 1e-6f);   // 1/sqrt(2·2)
        actual[1][4].Should().BeApproximately(R2, 1e-6f);     // 1/sqrt(1·2)
    }

    [Fact]
    public void Self_loops_give_the_renormalised_matrix_of_A_plus_I_and_keep_an_isolated_node_whole()
    {
        // u0 saw i0, i1; u1 saw i1; u2 saw nothing; i2 nobody saw. With I: degrees u0 3, u1 2, u2 1,
        // i0 2, i1 3, i2 1. Nodes: 0-2 users, 3 i0, 4 i1, 5 i2. Entry (a, b) = 1 / sqrt(d̃_a d̃_b) where
        // a = b or a and b share an interaction (FairMI's utils/graph.py: add_self_loop, then norm).
        var train = Fixtures.Matrix(3, [0, 1], [1], []);
        using var scope = NewDisposeScope();

        var adjacency = SlotComponent.Make(new UserItemGraphFactory(), "graph", new Dictionary<string, string> { ["self_loops"] = "true" }).Build(
            new Untangle.Contracts.Components.GraphInput { Interactions = train, Device = CPU });

        adjacency.SparseValues.shape[0].Should().Be(2 * train.Count + 6, "the interactions both ways and one loop per node");
        int[] degree = [3, 2, 1, 2, 3, 1];
        (int, int)[] edges = [(0, 3), (0, 4), (1, 4)];
        var actual = Fixtures.Rows(adjacency);
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 6; c++)
            {
                bool linked = r == c || edges.Contains((r, c)) || edges.Contains((c, r));
                float expected = linked ? (float)(1 / Math.Sqrt(degree[r] * degree[c])) : 0f;
                actual[r][c].Should().BeApproximately(expected, 1e-6f, $"entry ({r}, {c})");
            }
        actual[2][2].Should().Be(1f, "an isolated user keeps its own row whole");
        actual[5][5].Should().Be(1f, "an isolated item keeps its own row whole");
    }

    [Fact]
    public void Propagating_over_the_self_loop_graph_by_CSR_and_by_libtorch_agree()
    {
        // The CSR copy is made from the COO entries in any order; the loops must land on the diagonal.
        var train = Fixtures.Matrix(4, [0, 1], [1, 2, 3], [0], []);
        using var scope = NewDisposeScope();
        var adjacency = NormalizedBipartiteGraph.Build(train, CPU, selfLoops: true);
        var x = randn(4 + 4, 5, generator: new Generator(7, CPU));

        var viaTorch = adjacency.mm(x);
        var viaCsr = CsrProduct.Apply(CsrGraph.FromCoo(adjacency), x);

        viaCsr.allclose(viaTorch, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        viaCsr[3].allclose(x[3]).Should().BeTrue("user u3 has only its loop, of weight 1");
    }

    [Fact]
    public void A_builder_without_interactions_says_what_it_needs()
    {
        var builder = new NormalizedBipartiteGraph();
        var act = () => builder.Build(new Untangle.Contracts.Components.GraphInput { Device = CPU });
        act.Should().Throw<ArgumentException>().WithMessage("*Interactions*");
    }
}
