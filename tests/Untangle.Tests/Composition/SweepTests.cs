using System.Text.Json;
using Untangle.Host;
using Untangle.Host.Composition;

namespace Untangle.Tests.Composition;

public class SweepTests
{
    private static readonly IReadOnlyDictionary<string, ConfigSource> Experiments =
        new Dictionary<string, ConfigSource> { ["bpr-mf-ml100k"] = new("test", new Dictionary<string, string>()) };

    private static Sweep Parse(string json) => Sweep.FromJson("plugins.json", "s", JsonDocument.Parse(json).RootElement, Experiments);

    [Fact]
    public void A_grid_is_every_combination_in_the_parameters_order()
    {
        var sweep = Parse("""{ "experiment": "bpr-mf-ml100k", "parameters": { "hyper.learning_rate": [0.001, 0.005], "hyper.embedding_size": [32, 64, 128] } }""");

        sweep.Search.Should().Be("grid");
        sweep.Seeds.Should().Equal(1, 2, 3);
        sweep.Configurations().Select(c => string.Join(" ", c.Select(kv => $"{kv.Key}={kv.Value}"))).Should().Equal(
            "hyper.learning_rate=0.001 hyper.embedding_size=32", "hyper.learning_rate=0.001 hyper.embedding_size=64",
            "hyper.learning_rate=0.001 hyper.embedding_size=128", "hyper.learning_rate=0.005 hyper.embedding_size=32",
            "hyper.learning_rate=0.005 hyper.embedding_size=64", "hyper.learning_rate=0.005 hyper.embedding_size=128");
    }

    [Fact]
    public void A_random_search_draws_the_same_configurations_for_the_same_sampler_seed_within_its_ranges()
    {
        const string json = """
            { "experiment": "bpr-mf-ml100k", "search": "random", "trials": 20, "sampler_seed": 3, "seeds": 2,
              "parameters": { "hyper.learning_rate": { "log_uniform": [0.0001, 0.01] }, "hyper.reg_weight": { "uniform": [0, 0.5] },
                              "hyper.embedding_size": { "int_uniform": [16, 18] }, "protocol.scheme": ["ratio", "leave-one-out"] } }
            """;
        var first = Parse(json).Configurations();
        var again = Parse(json).Configurations();
        var other = Parse(json.Replace("\"sampler_seed\": 3", "\"sampler_seed\": 4")).Configurations();

        first.Should().HaveCount(20).And.BeEquivalentTo(again, o => o.WithStrictOrdering());
        other.Select(c => c[0].Value).Should().NotEqual(first.Select(c => c[0].Value));
        Parse(json).Seeds.Should().Equal(1, 2);
        static double Value(IReadOnlyList<(string Key, string Value)> c, int i) => double.Parse(c[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var c in first)
        {
            Value(c, 0).Should().BeInRange(0.0001, 0.01);
            Value(c, 1).Should().BeInRange(0, 0.5);
            Value(c, 2).Should().BeInRange(16, 18);
            c[3].Value.Should().BeOneOf("ratio", "leave-one-out");
        }
        first.Select(c => c[2].Value).Distinct().Should().BeEquivalentTo(["16", "17", "18"], "int_uniform includes both ends");
        first.Count(c => Value(c, 0) < 0.001).Should().BeInRange(4, 16, "log-uniform puts about half the draws below the geometric middle");
    }

    [Theory]
    [InlineData("""{ "experiment": "nope", "parameters": { "a.b": [1] } }""", "* experiment: 'nope' is not an experiment; expected one of bpr-mf-ml100k")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": {} }""", "* parameters: expected an object of setting*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": { "a.b": [] } }""", "* parameters.a.b: an empty list*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": { "a.b": [1, 1] } }""", "* parameters.a.b: a value is listed twice*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": { "a.b": { "uniform": [0, 1] } } }""", "* parameters.a.b: a range needs \"search\": \"random\"*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "search": "random", "trials": 2, "parameters": { "a.b": { "log_uniform": [0, 1] } } }""", "* parameters.a.b: {*} is not valid; expected a list of values, or*log_uniform: low > 0)")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "search": "random", "parameters": { "a.b": [1] } }""", "* trials: random search needs*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "trials": 3, "parameters": { "a.b": [1] } }""", "*: trials and sampler_seed belong to \"search\": \"random\"*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "search": "bayes", "parameters": { "a.b": [1] } }""", "* search: 'bayes'; expected grid or random")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": { "a.b": [1] }, "seeds": [1, 1] }""", "* seeds: expected distinct seeds*")]
    [InlineData("""{ "experiment": "bpr-mf-ml100k", "parameters": { "a.b": [1] }, "metrc": "ndcg@20" }""", "*: unknown key 'metrc'; expected experiment, search, parameters, trials, sampler_seed, seeds, metric")]
    public void A_malformed_sweep_is_one_line_naming_the_sweep_and_key(string json, string message)
    {
        FluentActions.Invoking(() => Parse(json)).Should().Throw<ConfigurationException>().WithMessage("plugins.json: sweep 's'" + message.TrimStart('*'));
    }
}
