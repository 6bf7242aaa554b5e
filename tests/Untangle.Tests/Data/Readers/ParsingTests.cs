using System.Text;
using Untangle.Host.Data.Parsing;

namespace Untangle.Tests.Data.Readers;

public sealed class ParsingTests : IDisposable
{
    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    [Fact]
    public void Quoted_fields_keep_commas_and_undouble_quotes()
    {
        var fields = new List<string>();
        QuotedFields.Split("41,\"Sonny \"\"Boy\"\" (1990), The\",Drama", ',', fields).Should().BeNull();
        fields.Should().Equal("41", "Sonny \"Boy\" (1990), The", "Drama");
    }

    [Fact]
    public void Quoted_fields_count_empty_and_trailing_fields()
    {
        var fields = new List<string>();
        QuotedFields.Split("a,,\"\",", ',', fields).Should().BeNull();
        fields.Should().Equal("a", "", "", "");
    }

    [Fact]
    public void An_unclosed_quote_is_reported()
    {
        var fields = new List<string>();
        QuotedFields.Split("1,\"open,x", ',', fields).Should().Contain("never closed");
    }

    [Fact]
    public void Id_index_numbers_ids_by_first_appearance()
    {
        var index = new IdIndex();
        index.IndexOf("30").Should().Be(0);
        index.IndexOf("4").Should().Be(1);
        index.IndexOf("30").Should().Be(0);
        index.Ids().Should().Equal("30", "4");
    }

    [Fact]
    public void Split_around_lets_only_the_free_field_hold_the_separator()
    {
        var path = TempFile("10::Two::Colons (2003)::Drama\n5::20::odd::tag::123\n");
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        lines.Next().Should().BeTrue();
        lines.SplitAround("::", 3, 1, "3 fields").Should().Equal("10", "Two::Colons (2003)", "Drama");
        lines.Next().Should().BeTrue();
        lines.SplitAround("::", 4, 2, "4 fields").Should().Equal("5", "20", "odd::tag", "123");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]
    public void A_rating_that_parses_to_no_finite_number_fails_at_its_line_naming_the_field(string rating)
    {
        var path = TempFile($"1\t2\t4\t100\n1\t3\t{rating}\t100\n");
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        lines.Next();
        lines.Float(lines.Split('\t', 4, "4 fields")[2], "rating").Should().Be(4);
        lines.Next();
        var act = () => lines.Float(lines.Split('\t', 4, "4 fields")[2], "rating");
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Line.Should().Be(2);
        error.Message.Should().StartWith($"{path}:2: rating '{rating}' is not finite");
    }

    [Fact]
    public void Split_around_rejects_too_few_fields_with_the_line()
    {
        var path = TempFile("10::Title only\n");
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        lines.Next();
        var act = () => lines.SplitAround("::", 3, 1, "3 '::'-separated fields");
        act.Should().Throw<DataFormatException>().Which.Message.Should().Be(
            $"{path}:1: 2 fields in '10::Title only'; expected 3 '::'-separated fields");
    }

    [Fact]
    public void Line_numbers_count_blank_lines()
    {
        var path = TempFile("1\t2\n\n3\tx\n");
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        lines.Next();
        lines.Next().Should().BeTrue();
        lines.Number.Should().Be(3);
        var act = () => lines.Int(lines.Split('\t', 2, "2 fields")[1], "item");
        act.Should().Throw<DataFormatException>().Which.Line.Should().Be(3);
    }

    [Fact]
    public void Utf8_or_latin1_picks_per_file()
    {
        var utf8 = TempFile("Amélie\n");
        var latin1 = TempFile(Encoding.Latin1.GetBytes("Léon\n"));
        using (var lines = LineReader.Open(utf8, TextEncodingChoice.Utf8OrLatin1)) { lines.Next(); lines.Text.Should().Be("Amélie"); }
        using (var lines = LineReader.Open(latin1, TextEncodingChoice.Utf8OrLatin1)) { lines.Next(); lines.Text.Should().Be("Léon"); }
    }

    [Fact]
    public void Strict_utf8_rejects_latin1_bytes_with_the_line()
    {
        var path = TempFile(Encoding.Latin1.GetBytes("ok\nL\u00e9on\n"));
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        var act = () => { while (lines.Next()) { } };
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Line.Should().Be(2);
        error.Message.Should().Contain("not valid UTF-8").And.Contain("'Léon'");
    }

    private string TempFile(string text) => TempFile(new UTF8Encoding(false).GetBytes(text));

    private string TempFile(byte[] bytes)
    {
        var path = Path.GetTempFileName();
        _files.Add(path);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
