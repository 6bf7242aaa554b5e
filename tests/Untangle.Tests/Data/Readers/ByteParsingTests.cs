using System.Text;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

/// <summary>
/// Plain-ASCII lines are read from their bytes, any other line as text: the same data written so that
/// every line takes the other way must read to the same data set, and errors keep their lines.
/// </summary>
public class ByteParsingTests
{
    private static readonly (string User, string Item, string Rating, string Time)[] Lines =
    [
        ("7", "12", "4", "881250949"), (" 7", "3 ", "3.5", "881250950.0"), ("7", "12", "2", "881250948"), ("007", "12", "1e0", "881250951.9"),
        ("u-1234567890", "i9", "0.125", "5"), ("8", "3", "5.0", "6"), ("8", "3", "2.5", "6"), ("9", "40", "+3", "7"),
    ];

    internal static Dataset ReadRecBole(string folder) =>
        new RecBoleReader().Read(folder, SettingValues.Resolve("dataset", new RecBoleReader().Options, new Dictionary<string, string>()), new RecordingLogger());

    private static string WriteInter(bool withTextOnlyColumn)
    {
        var folder = Scratch.Folder("untangle-bytes-").FullName;
        var text = new StringBuilder("user_id:token\titem_id:token\trating:float\ttimestamp:float" + (withTextOnlyColumn ? "\tnote:token" : "") + "\n");
        foreach (var (u, i, r, t) in Lines) text.Append($"{u}\t{i}\t{r}\t{t}{(withTextOnlyColumn ? "\tnaïve" : "")}\n");
        File.WriteAllText(Path.Combine(folder, Path.GetFileName(folder) + ".inter"), text.ToString(), new UTF8Encoding(false));
        return folder;
    }

    /// <summary>The same ids in the same order and the same interactions, values and timestamps.</summary>
    internal static void ShouldBeSame(Dataset actual, Dataset expected)
    {
        actual.UserIds.Should().Equal(expected.UserIds);
        actual.ItemIds.Should().Equal(expected.ItemIds);
        actual.Interactions.RowStart.Should().Equal(expected.Interactions.RowStart);
        actual.Interactions.Columns.Should().Equal(expected.Interactions.Columns);
        actual.Interactions.Values.Should().Equal(expected.Interactions.Values);
        actual.Interactions.Timestamps.Should().Equal(expected.Interactions.Timestamps);
    }

    [Fact]
    public void A_recbole_file_read_from_bytes_equals_the_same_file_read_as_text()
    {
        // The extra non-ASCII column sends every line of the second file through the text path.
        var fromBytes = ReadRecBole(WriteInter(withTextOnlyColumn: false));
        var fromText = ReadRecBole(WriteInter(withTextOnlyColumn: true));

        ShouldBeSame(fromBytes, fromText);
        fromBytes.UserIds.Should().Equal("7", "007", "u-1234567890", "8", "9");
        fromBytes.Interactions.Timestamps.Should().Contain(881250951L, "a float timestamp is floored");
    }

    [Fact]
    public void A_ratings_csv_read_from_bytes_equals_the_same_file_with_quoted_fields()
    {
        string Write(bool quoted)
        {
            var folder = Scratch.Folder("untangle-bytes-").FullName;
            var text = new StringBuilder("userId,movieId,rating,timestamp\n");
            foreach (var (u, i, r, t) in Lines.Where(l => long.TryParse(l.User, out _) && long.TryParse(l.Item, out _) && long.TryParse(l.Time, out _)))
                text.Append(quoted ? $"{u},{i},\"{r}\",{t}\n" : $"{u},{i},{r},{t}\n");
            File.WriteAllText(Path.Combine(folder, "ratings.csv"), text.ToString());
            return folder;
        }
        var reader = new MovieLensCsvReader();
        var options = SettingValues.Resolve("dataset", reader.Options, new Dictionary<string, string>());

        var fromBytes = reader.Read(Write(quoted: false), options, new RecordingLogger());
        var fromText = reader.Read(Write(quoted: true), options, new RecordingLogger());

        ShouldBeSame(fromBytes, fromText);
        fromBytes.Interactions.Count.Should().Be(3, "(7, 12) and (8, 3) are each rated twice");
    }

    [Fact]
    public void An_mmrec_file_read_from_bytes_equals_the_same_file_read_as_text()
    {
        string Write(bool withTextOnlyColumn)
        {
            var folder = Scratch.Folder("untangle-bytes-").FullName;
            var text = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label" + (withTextOnlyColumn ? "\tnote" : "") + "\n");
            string[] rows = ["0\t3\t4\t10\t0", "0\t1\t3.5\t11\t0", " 1\t3\t2\t12.0\t1", "1\t3\t5\t12\t2", "2\t0\t1\t9\t2", "2\t2\t+4\t8\t0"];
            foreach (var row in rows) text.Append(row + (withTextOnlyColumn ? "\tnaïve" : "") + "\n");
            var name = Path.GetFileName(folder);
            File.WriteAllText(Path.Combine(folder, name + ".inter"), text.ToString(), new UTF8Encoding(false));
            return folder;
        }
        var reader = new MmrecReader();
        var options = SettingValues.Resolve("dataset", reader.Options, new Dictionary<string, string>());

        var fromBytes = reader.Read(Write(false), options, new RecordingLogger());
        var fromText = reader.Read(Write(true), options, new RecordingLogger());

        ShouldBeSame(fromBytes, fromText);
        fromBytes.PredefinedSplit!.Test.Count.Should().Be(fromText.PredefinedSplit!.Test.Count);
        fromBytes.PredefinedSplit.Test.Targets.Columns.Should().Equal(fromText.PredefinedSplit.Test.Targets.Columns);
        fromBytes.PredefinedSplit.Validation.Count.Should().Be(fromText.PredefinedSplit.Validation.Count);
    }

    [Fact]
    public void A_bad_field_on_an_ascii_line_is_reported_by_the_text_path_with_its_line()
    {
        var folder = Scratch.Folder("untangle-bytes-").FullName;
        File.WriteAllText(Path.Combine(folder, Path.GetFileName(folder) + ".inter"),
            "user_id:token\titem_id:token\trating:float\n1\t2\t4\n\n1\t3\tfour\n");

        FluentActions.Invoking(() => ReadRecBole(folder)).Should().Throw<DataFormatException>()
            .WithMessage("*:4: rating 'four' is not a number*");
    }

    [Fact]
    public void The_current_line_survives_the_buffer_moving_and_counting_lines_counts_a_last_line_without_an_end()
    {
        var path = Path.Combine(Scratch.Folder("untangle-bytes-").FullName, "long.txt");
        var lines = Enumerable.Range(0, 30_000).Select(k => $"line {k} " + new string('x', k % 17)).ToList();
        File.WriteAllText(path, string.Join("\n", lines) + "\n\n  \n");

        using (var reader = LineReader.Open(path, TextEncodingChoice.Utf8))
        {
            var read = new List<string>();
            while (reader.Next()) read.Add(reader.Text);
            read.Should().Equal(lines);
            reader.Text.Should().Be(lines[^1], "blank lines at the end leave the last line current");
            reader.Number.Should().Be(30_002);
        }
        LineReader.CountLines(path).Should().Be(30_002);

        // A line whose text was never asked for keeps it when the reader moves its buffer past it
        // (the trailing blank line is moved over the first line's bytes).
        File.WriteAllText(path, "x\n   ");
        using (var reader = LineReader.Open(path, TextEncodingChoice.Utf8))
        {
            reader.Next().Should().BeTrue();
            reader.Next().Should().BeFalse();
            reader.Text.Should().Be("x");
        }
        File.WriteAllText(path, "a\nb");
        LineReader.CountLines(path).Should().Be(2);
        File.WriteAllText(path, "");
        LineReader.CountLines(path).Should().Be(0);
    }
}

/// <summary>A file read in two parts at once must read to what one reader reads, and report the line one reader reports.</summary>
public class FilePartsTests
{
    private static T Split<T>(Func<T> read)
    {
        FileParts.MinimumBytesOnThisThread = 0;
        try
        {
            return read();
        }
        finally
        {
            FileParts.MinimumBytesOnThisThread = null;
        }
    }

    private static string InterFolder(IEnumerable<string> rows)
    {
        var folder = Scratch.Folder("untangle-parts-").FullName;
        File.WriteAllText(Path.Combine(folder, Path.GetFileName(folder) + ".inter"),
            "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" + string.Join("\n", rows) + "\n", new UTF8Encoding(false));
        return folder;
    }

    private static Dataset ReadRecBole(string folder) => ByteParsingTests.ReadRecBole(folder);

    [Fact]
    public void A_recbole_file_read_in_two_parts_equals_it_read_in_one()
    {
        // Users and items met in both halves and new in the second, repeats across the halves (equal
        // times: the later line wins), text-path lines in each half, and rows that are not grouped by user.
        var random = new Random(3);
        var rows = new List<string>();
        for (int k = 0; k < 4000; k++)
        {
            string user = k < 2000 ? $"u{random.Next(300)}" : $"u{random.Next(150, 600)}";
            string item = random.Next(50) == 0 ? $"é{random.Next(10)}" : $"{random.Next(200)}";
            rows.Add($"{user}\t{item}\t{random.Next(1, 6)}\t{random.Next(3)}");
            if (k % 97 == 0) rows.Add(k % 2 == 0 ? "" : "  "); // blank lines leave the first part fewer rows than lines
        }
        var folder = InterFolder(rows);

        var whole = ReadRecBole(folder);
        var parts = Split(() => ReadRecBole(folder));

        ByteParsingTests.ShouldBeSame(parts, whole);
        whole.UserIds.Length.Should().BeGreaterThan(500, "the second half brings users of its own");
    }

    [Fact]
    public void Halves_each_grouped_by_user_but_not_together_are_read_as_not_grouped()
    {
        // Users 0..99 in order, then again 0..99 in order: the joined rows are not grouped by user.
        var rows = new List<string>();
        for (int pass = 0; pass < 2; pass++)
            for (int user = 0; user < 100; user++)
                for (int item = 0; item < 5; item++) rows.Add($"{user}\t{(item * 7 + pass) % 11}\t{pass + 1}\t{pass}");
        var folder = InterFolder(rows);

        var whole = ReadRecBole(folder);
        var parts = Split(() => ReadRecBole(folder));

        ByteParsingTests.ShouldBeSame(parts, whole);
    }

    [Fact]
    public void A_ratings_csv_grouped_by_user_read_in_two_parts_equals_it_read_in_one()
    {
        var folder = Scratch.Folder("untangle-parts-").FullName;
        var random = new Random(4);
        var text = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int user = 1; user <= 300; user++)
            for (int k = random.Next(1, 30); k > 0; k--) text.Append($"{user},{random.Next(1, 80)},{random.Next(1, 11) / 2.0},{random.Next(5)}\n");
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), text.ToString());
        var reader = new MovieLensCsvReader();
        var options = SettingValues.Resolve("dataset", reader.Options, new Dictionary<string, string>());

        var whole = reader.Read(folder, options, new RecordingLogger());
        var parts = Split(() => reader.Read(folder, options, new RecordingLogger()));

        ByteParsingTests.ShouldBeSame(parts, whole);
    }

    [Fact]
    public void A_bad_line_in_the_second_part_is_reported_at_its_line_and_one_in_the_first_part_comes_first()
    {
        var rows = Enumerable.Range(0, 1000).Select(k => $"u{k % 37}\t{k % 91}\t4\t{k}").ToList();
        rows[900] = "u1\t2\tfour\t5";
        FluentActions.Invoking(() => Split(() => ReadRecBole(InterFolder(rows)))).Should().Throw<DataFormatException>()
            .WithMessage("*:902: rating 'four' is not a number*", "line 902: the header, then 900 rows before it");

        rows[10] = "u1\t\t4\t5";
        FluentActions.Invoking(() => Split(() => ReadRecBole(InterFolder(rows)))).Should().Throw<DataFormatException>()
            .WithMessage("*:12: empty item_id*", "the first part's error is the first in the file");
    }
}
