using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class MovieLensCsvReaderTests
{
    private readonly MovieLensCsvReader _reader = new();

    [Fact]
    public void Reads_quoted_titles_genres_and_tags()
    {
        var data = ReaderFixtures.Read(_reader, "movielens-csv/small");

        data.UserIds.Should().Equal("1", "2");
        data.ItemIds.Should().Equal("11", "31", "41", "51");
        var titles = (string[])data.Extras["item_titles"];
        titles[0].Should().Be("Quiet Harbour, The (1995)");
        titles[2].Should().Be("Lucky \"Ace\" (1990), The");
        data.ItemCategories!.Of[2].Should().BeEmpty();
        data.ItemCategories.Names.Should().Contain("IMAX").And.NotContain("(no genres listed)");
        data.ItemText![0].Should().Be("Quiet Harbour, The (1995). Genres: Comedy, Drama, Romance. Tags: harbour, sea, lighthouse");
        data.UserAttributes.Should().BeEmpty();
    }

    [Fact]
    public void A_repeated_rating_keeps_the_latest_timestamp()
    {
        var data = ReaderFixtures.Read(_reader, "movielens-csv/small");
        // user 1 rated movie 11 at 1260760144 (4.0) and, on a later line, at the older 1260760100 (5.0)
        data.Interactions.Count.Should().Be(3);
        data.Interactions.Values![data.Interactions.RowStart[0]].Should().Be(4f);
        data.Interactions.Timestamps![data.Interactions.RowStart[0]].Should().Be(1260760144);
    }

    [Fact]
    public void A_wrong_header_names_the_file_and_the_expected_header()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-csv/bad-header");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("ratings.csv:1: a wrong header in 'user,item,rating,timestamp'")
            .And.EndWith("expected the header userId,movieId,rating,timestamp");
    }

    [Fact]
    public void A_line_with_too_few_fields_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-csv/bad-field-count");
        act.Should().Throw<DataFormatException>().Which.Message.Should().Contain("ratings.csv:3: 3 fields in '1,31,2.5'");
    }

    [Fact]
    public void An_unclosed_quote_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-csv/unclosed-quote");
        act.Should().Throw<DataFormatException>().Which.Message.Should().Contain("movies.csv:2: a quote opened at column 4 is never closed");
    }
}
