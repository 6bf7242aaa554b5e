using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Data;
using Untangle.Host.Data.Features;

namespace Untangle.Tests.Data.Features;

public class DerivedTextFeaturesTests
{
    private static Dataset Movies(params string[] titles) => new()
    {
        Name = "tiny movies",
        UserIds = ["u"],
        ItemIds = titles.Select((_, i) => $"m{i}").ToArray(),
        ItemText = titles,
        Interactions = new InteractionsBuilder(1, titles.Length).Build(),
    };

    [Fact]
    public void Auto_features_are_encoded_once_then_read_from_the_cache_and_match_the_features_verb()
    {
        var cache = Scratch.Folder("untangle-feature-cache-").FullName;
        var data = Movies("Toy Story (1995). Genres: Animation", "Heat (1995). Genres: Action, Crime");

        var first = DerivedTextFeatures.Folder(data, cache, NullLogger.Instance);
        var written = File.GetLastWriteTimeUtc(Path.Combine(first, TextFeatureFolder.MatrixFile));
        var second = DerivedTextFeatures.Folder(data, cache, NullLogger.Instance);

        second.Should().Be(first);
        File.GetLastWriteTimeUtc(Path.Combine(second, TextFeatureFolder.MatrixFile)).Should().Be(written, "the second read reuses the cached file");
        File.ReadAllLines(Path.Combine(first, TextFeatureFolder.IdsFile)).Should().Equal("m0", "m1");
        Directory.GetDirectories(cache).Should().ContainSingle("no staging folder is left behind");
        var cached = NpyFile.Read(Path.Combine(first, TextFeatureFolder.MatrixFile), 2);
        var direct = ItemTextEmbedding.Encode(data.ItemText!);
        cached.Row(1).ToArray().Should().Equal(direct.Row(1).ToArray());
    }

    [Fact]
    public void Changed_item_texts_get_their_own_cache_entry()
    {
        var cache = Scratch.Folder("untangle-feature-cache-").FullName;

        var a = DerivedTextFeatures.Folder(Movies("Heat (1995)"), cache, NullLogger.Instance);
        var b = DerivedTextFeatures.Folder(Movies("Heat (1995). Genres: Action"), cache, NullLogger.Instance);

        b.Should().NotBe(a);
        Path.GetFileName(a).Should().StartWith("tiny_movies-");
    }
}
