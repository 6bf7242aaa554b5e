using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class RecBoleReaderTests
{
    private readonly RecBoleReader _reader = new();

    [Fact]
    public void Reads_inter_with_ratings_timestamps_and_the_duplicate_rule()
    {
        var logger = new RecordingLogger();
        var data = ReaderFixtures.Read(_reader, "recbole/toy", logger);

        data.Name.Should().Be("toy");
        data.UserIds.Should().Equal("u1", "u2", "u3", "u4"); // u4 is only in toy.user
        data.ItemIds.Should().Equal("i1", "i2", "i3", "i5"); // i5 is only in toy.item
        data.Interactions.Count.Should().Be(4);
        data.Interactions.Values![0].Should().Be(4f); // (u1, i1): t=100 beats the later line's t=90
        data.Interactions.Timestamps![0].Should().Be(100);
        logger.Messages.Should().Contain("toy: 4 users, 4 items, 4 interactions");
        logger.Messages.Should().Contain(m => m.Contains("merged 1 repeated"));
    }

    [Fact]
    public void User_token_fields_become_attributes_with_a_missing_level()
    {
        var data = ReaderFixtures.Read(_reader, "recbole/toy");

        data.UserAttributes.Keys.Should().BeEquivalentTo("age", "gender"); // score:float is not a token
        data.SensitiveAttribute.Should().Be("gender");
        var gender = data.UserAttributes["gender"];
        gender.Levels.Should().Equal("F", "M", AttributeCoding.MissingLevel);
        Enumerable.Range(0, 4).Select(gender.ValueOf).Should().Equal("F", "M", AttributeCoding.MissingLevel, "F");
    }

    [Fact]
    public void Item_fields_become_categories_text_and_feature_matrices()
    {
        var data = ReaderFixtures.Read(_reader, "recbole/toy");

        data.ItemCategories!.Names.Should().Equal("Action", "Animation", "Comedy", "Crime", "Drama", "Thriller");
        data.ItemCategories.Of[0].Select(c => data.ItemCategories.Names[c]).Should().Equal("Animation", "Comedy");
        data.ItemCategories.Of[2].Should().BeEmpty(); // i3 has no line in toy.item
        data.ItemText.Should().Equal("Paper Lanterns", "Harbor Lights", "", "Nobody Watched");
        var emb = data.ItemFeatures["emb"];
        (emb.Rows, emb.Columns).Should().Be((4, 3));
        emb.Row(0).ToArray().Should().Equal(0.1f, 0.2f, 0.3f);
        emb.Row(2).ToArray().Should().Equal(0f, 0f, 0f);
        emb.Row(3).ToArray().Should().Equal(-1f, -2f, -3f);
        data.ItemFeatures["genre"].Row(1).ToArray().Sum().Should().Be(3f);
    }

    [Fact]
    public void The_name_option_picks_another_atomic_file_and_no_rating_means_implicit()
    {
        var data = ReaderFixtures.Read(_reader, "recbole/toy", options: new Dictionary<string, string> { ["name"] = "implicit" });

        data.Name.Should().Be("implicit");
        data.UserIds.Should().Equal("a", "b");
        data.ItemIds.Should().Equal("x", "y");
        data.Interactions.Count.Should().Be(3);
        data.Interactions.Values.Should().BeNull();
        data.Interactions.Timestamps.Should().BeNull();
        data.UserAttributes.Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_type_fails_at_line_1()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/bad-type");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("bad-type.inter:1: unknown type 'int' of field 'rating'")
            .And.Contain("token, token_seq, float or float_seq");
    }

    [Fact]
    public void A_row_with_too_few_values_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/bad-row");
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Line.Should().Be(3);
        error.Message.Should().Contain("bad-row.inter:3: 2 fields in 'u2\ti1'; expected 3 tab-separated values as in the header (user_id, item_id, rating)");
    }

    [Fact]
    public void A_feature_vector_of_another_length_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/bad-vector");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("bad-vector.item:3: emb has 3 values").And.Contain("expected 2 space-separated numbers");
    }

    [Fact]
    public void A_missing_user_field_names_the_option()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/no-user-field");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("no-user-field.inter:1: no field 'user_id'").And.Contain("dataset.user_field");
        ReaderFixtures.Read(_reader, "recbole/no-user-field", options: new Dictionary<string, string> { ["user_field"] = "uid" })
            .UserIds.Should().Equal("u1");
    }

    [Fact]
    public void Explicit_fields_that_are_absent_are_errors()
    {
        var sensitive = () => ReaderFixtures.Read(_reader, "recbole/toy", options: new Dictionary<string, string> { ["sensitive"] = "occupation" });
        sensitive.Should().Throw<DataFormatException>().Which.Message.Should().Contain("toy.user:1").And.Contain("occupation");
        var category = () => ReaderFixtures.Read(_reader, "recbole/toy", options: new Dictionary<string, string> { ["category_field"] = "class" });
        category.Should().Throw<DataFormatException>().Which.Message.Should().Contain("toy.item:1: no field 'class'");
        ReaderFixtures.Read(_reader, "recbole/toy", options: new Dictionary<string, string> { ["sensitive"] = "none" })
            .SensitiveAttribute.Should().BeNull();
    }

    [Fact]
    public void A_missing_inter_file_is_named()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/toy", options: new Dictionary<string, string> { ["name"] = "absent" });
        act.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain("absent.inter").And.Contain("user_id:token");
    }
}
