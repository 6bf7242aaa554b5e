using Untangle.Host.Evaluation;

namespace Untangle.Tests.Evaluation;

public class MetricNameTests
{
    [Theory]
    [InlineData("ndcg@100", "ndcg", 100)]
    [InlineData("recall_capped@20", "recall_capped", 20)]
    [InlineData(" mrr@1 ", "mrr", 1)]
    public void Parses_name_at_K(string text, string name, int k)
    {
        var parsed = MetricName.Parse(text);

        parsed.Should().Be(new MetricName(name, k));
        parsed.ToString().Should().Be($"{name}@{k}");
    }

    [Theory]
    [InlineData("ndcg", "has no cutoff K")]
    [InlineData("ndcg@0", "has cutoff 0")]
    [InlineData("ndcg@-5", "not a whole number")]
    [InlineData("ndcg@x", "has cutoff \"x\", which is not a whole number")]
    [InlineData("ndcg@", "not a whole number")]
    [InlineData("ndcg@10@3", "not a whole number")]
    [InlineData("@10", "has no name")]
    public void Bad_names_fail_naming_the_text_and_the_expected_form(string text, string reason)
    {
        var parse = () => MetricName.Parse(text);

        parse.Should().Throw<FormatException>()
            .Which.Message.Should().Contain($"\"{text}\"").And.Contain(reason).And.Contain("name@K");
    }
}
