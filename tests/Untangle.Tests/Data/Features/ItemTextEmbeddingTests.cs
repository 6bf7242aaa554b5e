using Untangle.Contracts.Data;
using Untangle.Host.Data.Features;

namespace Untangle.Tests.Data.Features;

public class ItemTextEmbeddingTests
{
    [Fact]
    public void MiniLM_gives_384_d_unit_vectors_that_place_similar_titles_closer()
    {
        var m = ItemTextEmbedding.Encode(["Toy Story (1995). Genres: Animation, Children's, Comedy", "Toy Story 2 (1999). Genres: Animation, Children's, Comedy", "Schindler's List (1993). Genres: Drama, War"]);

        m.Columns.Should().Be(384);
        double Dot(int a, int b) => Enumerable.Range(0, 384).Sum(k => (double)m.Row(a)[k] * m.Row(b)[k]);
        Math.Sqrt(Dot(0, 0)).Should().BeApproximately(1, 1e-3);
        Dot(0, 1).Should().BeGreaterThan(Dot(0, 2));
    }

    [Fact]
    public void A_data_set_without_item_text_is_refused_by_name()
    {
        var data = new Dataset { Name = "bare", UserIds = ["u"], ItemIds = ["i"], Interactions = new InteractionsBuilder(1, 1).Build() };

        FluentActions.Invoking(() => ItemTextEmbedding.Texts(data)).Should().Throw<InvalidOperationException>().WithMessage("data set 'bare' has no item text*");
    }
}
