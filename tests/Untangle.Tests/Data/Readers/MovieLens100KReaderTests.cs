using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class MovieLens100KReaderTests
{
    private readonly MovieLens100KReader _reader = new();

    [Fact]
    public void Indexes_users_and_items_by_first_appearance_then_unrated_items()
    {
        var data = ReaderFixtures.Read(_reader, "movielens-100k/small");

        data.UserIds.Should().Equal("2", "1", "3");
        data.ItemIds.Should().Equal("3", "2", "1", "4"); // item 4 is in u.item but never rated
        data.Name.Should().Be("small");
        data.Interactions.Count.Should().Be(5);
        data.Interactions.Row(1).ToArray().Should().Equal(1, 2); // user "1" rated items "2" and "1"
    }

    [Fact]
    public void Repeated_ratings_keep_the_latest_timestamp_then_the_later_line()
    {
        var logger = new RecordingLogger();
        var data = ReaderFixtures.Read(_reader, "movielens-100k/small", logger);
        var x = data.Interactions;

        // user "1", item "2": 5 at t=881251950 beats the later line's 2 at the older t=881251900
        x.Values![x.RowStart[1] + 0].Should().Be(5f);
        x.Timestamps![x.RowStart[1] + 0].Should().Be(881251950);
        // user "3", item "1": two lines with the same timestamp, the later (2) wins
        x.Values![x.RowStart[2]].Should().Be(2f);
        logger.Messages.Should().Contain(m => m.Contains("merged 2 repeated"));
        logger.Messages.Should().Contain("small: 3 users, 4 items, 5 interactions");
    }

    [Fact]
    public void Reads_genres_titles_in_latin1_and_user_attributes()
    {
        var data = ReaderFixtures.Read(_reader, "movielens-100k/small");

        data.ItemCategories!.Names.Should().HaveCount(19).And.StartWith("unknown");
        var lanterns = Array.IndexOf(data.ItemIds, "1");
        data.ItemCategories.Of[lanterns].Select(c => data.ItemCategories.Names[c]).Should().Equal("Animation", "Children's", "Comedy");
        data.ItemFeatures["genre"].Row(lanterns).ToArray().Count(v => v == 1f).Should().Be(3);
        data.ItemText![lanterns].Should().Be("Paper Lanterns (1995). Genres: Animation, Children's, Comedy");
        var titles = (string[])data.Extras["item_titles"];
        titles[Array.IndexOf(data.ItemIds, "3")].Should().Be("Á köldum vegi (Cold Road) (1994)");

        data.SensitiveAttribute.Should().Be("gender");
        data.UserAttributes["gender"].Levels.Should().Equal("F", "M");
        data.UserAttributes["gender"].ValueOf(0).Should().Be("F"); // user "2"
        data.UserAttributes["age"].ValueOf(0).Should().Be("50-55"); // 53
        data.UserAttributes["age"].ValueOf(2).Should().Be("under 18"); // 17
        data.UserAttributes["occupation"].Levels.Should().Equal("other", "student", "technician", "writer"); // u.occupation's order
        data.UserAttributes["occupation"].ValueOf(1).Should().Be("technician");
    }

    [Fact]
    public void A_line_with_too_few_fields_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/bad-field-count");
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Message.Should().Contain("u.data:3: 3 fields in '3\t2\t4'; expected 4 tab-separated fields");
        error.Line.Should().Be(3);
    }

    [Fact]
    public void A_non_numeric_rating_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/bad-rating");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("u.data:2: rating 'five' is not a number").And.Contain("expected a number");
    }

    [Fact]
    public void A_rating_of_an_item_missing_from_u_item_fails()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/unknown-item");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("u.data:2: unknown movie id 2").And.Contain("u.item");
    }

    [Fact]
    public void A_genre_flag_other_than_0_or_1_fails()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/bad-genre-flag");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("u.item:2: genre flag 2 (Action) is 'yes'").And.EndWith("expected 0 or 1");
    }

    [Fact]
    public void A_missing_u_data_names_the_path_and_what_belongs_there()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/no-ratings");
        act.Should().Throw<FileNotFoundException>().Which.Message.Should()
            .Contain(Path.Combine("no-ratings", "u.data")).And.Contain("ratings");
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var act = () => ReaderFixtures.Read(_reader, "movielens-100k/nowhere");
        act.Should().Throw<DirectoryNotFoundException>().Which.Message.Should().Contain("nowhere").And.Contain("u.data");
    }

    [Fact]
    public void Real_ml100k_loads_943_users_1682_items_100000_ratings()
    {
        var folder = ReaderFixtures.SharedMl100k();
        if (folder is null) return; // ../shared/data/ml-100k is not on this machine (research data, never in the repo)

        var logger = new RecordingLogger();
        var data = _reader.Read(folder, Untangle.Contracts.Settings.SettingValues.Resolve("dataset", _reader.Options), logger);

        data.UserCount.Should().Be(943);
        data.ItemCount.Should().Be(1682);
        data.Interactions.Count.Should().Be(100000);
        data.UserIds[0].Should().Be("196"); // u.data's first line is "196 242 3 881251949"
        data.ItemIds[0].Should().Be("242");
        data.Interactions.Values!.Count(v => v == 4f).Should().Be(34174);
        data.UserAttributes["gender"].Levels.Should().Equal("F", "M");
        data.UserAttributes["gender"].Codes.Count(c => c == 1).Should().Be(670);
        data.ItemCategories!.Names.Should().HaveCount(19).And.Contain("Film-Noir");
        data.ItemCategories.Of.Sum(c => c.Length).Should().Be(2 + 251 + 135 + 42 + 122 + 505 + 109 + 50 + 725 + 22 + 24 + 92 + 56 + 61 + 247 + 101 + 251 + 71 + 27);
        var titles = (string[])data.Extras["item_titles"];
        titles[Array.IndexOf(data.ItemIds, "1")].Should().Be("Toy Story (1995)");
        titles[Array.IndexOf(data.ItemIds, "1633")].Should().Be("Á köldum klaka (Cold Fever) (1994)");
        logger.Messages.Should().Contain("ml-100k: 943 users, 1682 items, 100000 interactions");
    }
}
