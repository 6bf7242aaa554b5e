using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

/// <summary>dataset.sensitive on the MovieLens readers: which user attribute fairness metrics and FairMI use.</summary>
public class MovieLensSensitiveOptionTests
{
    [Fact]
    public void Gender_is_the_default_and_age_or_none_can_be_chosen()
    {
        var reader = new MovieLens100KReader();
        ReaderFixtures.Read(reader, "movielens-100k/small").SensitiveAttribute.Should().Be("gender");
        var age = ReaderFixtures.Read(reader, "movielens-100k/small", options: new Dictionary<string, string> { ["sensitive"] = "age" });
        age.SensitiveAttribute.Should().Be("age");
        age.UserAttributes["age"].Levels.Should().HaveCount(7, "the age bucket is a multi-class attribute");
        ReaderFixtures.Read(reader, "movielens-100k/small", options: new Dictionary<string, string> { ["sensitive"] = "none" })
            .SensitiveAttribute.Should().BeNull();
    }

    [Fact]
    public void An_unknown_attribute_fails_naming_the_key_and_the_choices()
    {
        var act = () => ReaderFixtures.Read(new MovieLens100KReader(), "movielens-100k/small",
            options: new Dictionary<string, string> { ["sensitive"] = "zip" });
        act.Should().Throw<ArgumentException>().WithMessage("*dataset.sensitive*'zip'*gender, age, occupation*");
    }

    [Fact]
    public void The_dat_reader_takes_the_same_option()
    {
        var data = ReaderFixtures.Read(new MovieLensDatReader(), "movielens-dat/ml-1m-like",
            options: new Dictionary<string, string> { ["sensitive"] = "occupation" });
        data.SensitiveAttribute.Should().Be("occupation");
    }

    [Fact]
    public void Without_a_users_file_the_default_means_none_and_a_named_attribute_fails()
    {
        var reader = new MovieLensDatReader();
        ReaderFixtures.Read(reader, "movielens-dat/ml-10m-like").SensitiveAttribute.Should().BeNull();
        var act = () => ReaderFixtures.Read(reader, "movielens-dat/ml-10m-like", options: new Dictionary<string, string> { ["sensitive"] = "age" });
        act.Should().Throw<ArgumentException>().WithMessage("*dataset.sensitive*'age'*no users file*");
    }
}
