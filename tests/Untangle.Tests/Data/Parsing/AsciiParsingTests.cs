using System.Globalization;
using System.Text;
using Untangle.Host.Data.Parsing;

namespace Untangle.Tests.Data.Parsing;

public class AsciiParsingTests
{
    private static readonly string[] Numbers =
    [
        "0", "4", "3.5", "0.5", "4.0", "1234567", "12345678", "9999999", "1.000001", "0.1234567", "16777217", "1e3", "-0", "-3.5",
        " 5", "5 ", "+2", "3.", ".5", "1.2.3", "", "x", "NaN", "Infinity", "1e39", "00012", "999999999999999999", "9999999999999999999",
        "881250949", "881250949.0", "2147483647", "2147483648", "-2147483648", "881250949.7", "0.1", "0.3", "2.675", "1.1754944e-38",
    ];

    public static IEnumerable<object[]> Cases() => Numbers.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Numbers_from_bytes_read_as_the_text_parsers_read_them(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bool textFloat = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f);
        AsciiNumbers.TryFloat(bytes, out var g).Should().Be(textFloat);
        if (textFloat) BitConverter.SingleToInt32Bits(g).Should().Be(BitConverter.SingleToInt32Bits(f), $"'{text}' reads to the same float32");

        bool textLong = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l);
        AsciiNumbers.TryLong(bytes, out var m).Should().Be(textLong);
        if (textLong) m.Should().Be(l);

        bool textInt = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i);
        AsciiNumbers.TryInt(bytes, out var j).Should().Be(textInt);
        if (textInt) j.Should().Be(i);
    }

    [Fact]
    public void Random_decimals_of_up_to_seven_digits_read_to_the_same_float()
    {
        var random = new Random(5);
        var differing = new List<string>();
        for (int k = 0; k < 200_000; k++)
        {
            int digits = random.Next(1, 8), fraction = random.Next(0, digits);
            long mantissa = random.NextInt64((long)Math.Pow(10, digits));
            var text = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            if (fraction > 0) text = text[..^fraction] + "." + text[^fraction..];
            if (text.StartsWith('.')) text = "0" + text;
            if (!AsciiNumbers.TryFloat(Encoding.ASCII.GetBytes(text), out var fast) || fast != float.Parse(text, CultureInfo.InvariantCulture)) differing.Add(text);
        }
        differing.Should().BeEmpty();
    }

    [Fact]
    public void Ids_compare_as_exact_strings_whether_asked_by_string_or_by_characters()
    {
        var index = new IdIndex();
        string[] ids = ["1", "01", "1234567", "12345678", "a\0", "a", "Zoë", "ü", "long-identifier-over-seven", "7"];
        foreach (var id in ids) index.IndexOf(id.AsSpan()).Should().Be(Array.IndexOf(ids, id));
        foreach (var id in ids)
        {
            index.IndexOf(id).Should().Be(Array.IndexOf(ids, id));
            index.Contains(id.AsSpan()).Should().BeTrue();
            index.TryGet(id, out var at).Should().BeTrue();
            at.Should().Be(Array.IndexOf(ids, id));
        }
        index.Count.Should().Be(ids.Length);
        index.Contains("001".AsSpan()).Should().BeFalse();
        index.Contains("a\0\0").Should().BeFalse();
        index.Ids().Should().Equal(ids);
    }

    [Fact]
    public void Thousands_of_short_and_long_ids_keep_their_first_appearance_order()
    {
        var random = new Random(8);
        var seen = new List<string>();
        var index = new IdIndex();
        for (int k = 0; k < 20_000; k++)
        {
            var id = random.Next(3) == 0 ? $"item-{random.Next(4000)}" : random.Next(6000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int expected = seen.IndexOf(id);
            if (expected < 0)
            {
                index.Contains(id.AsSpan()).Should().BeFalse(id);
                seen.Add(id);
                expected = seen.Count - 1;
            }
            int got = k % 2 == 0 ? index.IndexOf(id.AsSpan()) : index.IndexOf(id);
            if (got != expected) throw new Xunit.Sdk.XunitException($"id {id}: index {got}, expected {expected}");
        }
        index.Ids().Should().Equal(seen);
    }
}
