using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

/// <summary>The rows the critic compares: real (Gumbel + ζ·affinity) and generated, on one scale.</summary>
public class CriticRowsTests
{
    private static Tensor Interactions() => tensor(new float[] { 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 }, [2, 6]);

    [Fact]
    public void Real_rows_leave_known_items_out_of_the_affinity_and_have_unit_norm()
    {
        var a = Interactions();
        var users = tensor(new float[] { 1, 0, 0, 2 }, [2, 2]);
        var items = tensor(new float[] { 1, 0, 0, 1, 1, 1, -1, 0, 0, -1, 2, 0 }, [6, 2]);
        random.manual_seed(7);
        var plain = GumbelRows.Transform(a, 1);
        random.manual_seed(7);
        var raw = GumbelRows.Real(a, 1, users, items, 3, zeroKnown: true);
        random.manual_seed(7);
        var normalised = GumbelRows.Real(a, 1, users, items, 3, zeroKnown: true, normalizeRows: true);

        // User 0 knows items 0 and 3: no affinity there (cos would be 1 and -1); item 5 (2, 0) has cos 1.
        (raw[0, 0] - plain[0, 0]).item<float>().Should().BeApproximately(0f, 1e-6f);
        (raw[0, 3] - plain[0, 3]).item<float>().Should().BeApproximately(0f, 1e-6f);
        (raw[0, 5] - plain[0, 5]).item<float>().Should().BeApproximately(3f, 1e-5f);
        normalised.norm(1, false, 2).data<float>().ToArray().Should().AllSatisfy(n => n.Should().BeApproximately(1f, 1e-5f));
        normalised.allclose(nn.functional.normalize(raw, p: 2, dim: 1), rtol: 1e-5, atol: 1e-6).Should().BeTrue();
    }

    [Fact]
    public void Generated_rows_zero_the_training_items_and_have_unit_norm()
    {
        random.manual_seed(8);
        var graph = MmsslFixture.Build();
        var model = MmsslFixture.Model(graph);
        var (_, split) = MmsslFixture.Data();
        var (fu, fi) = model.Generator.Features(noDropout: true)[0];
        long[] users = [0, 3];

        var rows = model.Generator.Relation(fu, fi, users, zeroKnown: true, normalizeRows: true);

        rows.shape.Should().Equal(2, MmsslFixture.Items);
        for (int r = 0; r < users.Length; r++)
        {
            var known = split.Train.Row((int)users[r]).ToArray();
            known.Should().NotBeEmpty();
            foreach (var i in known) rows[r, i].item<float>().Should().Be(0f);
        }
        rows.norm(1, false, 2).data<float>().ToArray().Should().AllSatisfy(n => n.Should().BeApproximately(1f, 1e-5f));
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void Known_rows_are_the_training_rows_of_the_asked_users_in_order()
    {
        random.manual_seed(10);
        var graph = MmsslFixture.Build();
        var model = MmsslFixture.Model(graph);
        var (_, split) = MmsslFixture.Data();
        long[] users = [5, 0, 5, 2];

        var rows = model.Generator.KnownRows(users, CPU);

        rows.shape.Should().Equal(users.Length, MmsslFixture.Items);
        for (int r = 0; r < users.Length; r++)
        {
            var expected = new float[MmsslFixture.Items];
            foreach (var i in split.Train.Row((int)users[r])) expected[i] = 1f;
            rows[r].data<float>().ToArray().Should().Equal(expected);
        }
        MmsslFixture.Dispose(graph);
    }
}
