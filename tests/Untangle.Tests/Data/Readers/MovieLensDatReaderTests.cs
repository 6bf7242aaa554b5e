using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class MovieLensDatReaderTests
{
    private readonly MovieLensDatReader _reader = new();

    [Fact]
    public void Reads_1m_layout_with_latin1_titles_and_coded_user_attributes()
    {
        var logger = new RecordingLogger();
        var data = ReaderFixtures.Read(_reader, "movielens-dat/ml-1m-like", logger);

        data.UserIds.Should().Equal("1", "2", "3", "4"); // user 4 is only in users.dat
        data.ItemIds.Should().Equal("1193", "661", "3408", "3409"); // 3409 is only in movies.dat
        data.Interactions.Count.Should().Be(4);
        data.Interactions.Values![data.Interactions.RowStart[1]].Should().Be(2f); // same timestamp: the later line wins
        logger.Messages.Should().Contain("ml-1m-like: 4 users, 4 items, 4 interactions");
        logger.Messages.Should().Contain(m => m.Contains("merged 1 repeated"));

        ((string[])data.Extras["item_titles"])[3].Should().Be("Rémi (1994)");
        data.ItemCategories!.Names.Should().Equal("Animation", "Children's", "Crime", "Drama", "Musical");
        data.ItemCategories.Of[1].Select(c => data.ItemCategories.Names[c]).Should().Equal("Animation", "Children's", "Musical");

        data.SensitiveAttribute.Should().Be("gender");
        data.UserAttributes["gender"].ValueOf(0).Should().Be("F");
        data.UserAttributes["age"].ValueOf(0).Should().Be("under 18");
        data.UserAttributes["age"].ValueOf(1).Should().Be("56+");
        data.UserAttributes["age"].ValueOf(3).Should().Be("45-49");
        data.UserAttributes["occupation"].Levels.Should().HaveCount(21);
        data.UserAttributes["occupation"].ValueOf(0).Should().Be("K-12 student");
        data.UserAttributes["occupation"].ValueOf(2).Should().Be("scientist");
    }

    [Fact]
    public void Reads_10m_layout_with_utf8_titles_tags_and_no_users_file()
    {
        var data = ReaderFixtures.Read(_reader, "movielens-dat/ml-10m-like");

        data.UserIds.Should().Equal("5", "6");
        data.ItemIds.Should().Equal("10", "20", "30");
        data.Interactions.Values.Should().Equal(4.5f, 3f, 0.5f);
        data.UserAttributes.Should().BeEmpty();
        data.SensitiveAttribute.Should().BeNull();
        data.ItemText!.Should().Equal(
            "Hélène (2001). Genres: Comedy, Romance. Tags: whimsical, Paris", // "Whimsical" repeats "whimsical"
            "Two::Colons (2003). Genres: Drama. Tags: odd::tag",
            "Unlabelled (2005)");
        data.ItemCategories!.Of[2].Should().BeEmpty(); // "(no genres listed)"
    }

    [Fact]
    public void A_line_with_too_few_fields_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-dat/bad-field-count");
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Message.Should().Contain("ratings.dat:3: 3 fields in '1::914::3'; expected 4 '::'-separated fields");
        error.Line.Should().Be(3);
    }

    [Fact]
    public void A_non_numeric_rating_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-dat/bad-rating");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("ratings.dat:3: rating 'three' is not a number in '1::914::three::978302968'");
    }

    [Fact]
    public void An_age_code_outside_the_readme_fails()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-dat/bad-age");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("users.dat:2: age code '30'").And.Contain("1, 18, 25, 35, 45, 50, 56");
    }

    [Fact]
    public void A_missing_ratings_file_is_named()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/small");
        act.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain("ratings.dat").And.Contain("UserID::MovieID::Rating::Timestamp");
    }
}
