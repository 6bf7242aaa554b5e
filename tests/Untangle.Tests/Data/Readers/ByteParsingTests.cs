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

    private static Dataset ReadRecBole(string folder) =>
        new RecBoleReader().Read(folder, SettingValues.Resolve("dataset", new RecBoleReader().Options, new Dictionary<string, string>()), new RecordingLogger());

    private static string WriteInter(bool withTextOnlyColumn)
    {
        var folder = Scratch.Folder("untangle-bytes-").FullName;
        var text = new StringBuilder("user_id:token\titem_id:token\trating:float\ttimestamp:float" + (withTextOnlyColumn ? "\tnote:token" : "") + "\n");
        foreach (var (u, i, r, t) in Lines) text.Append($"{u}\t{i}\t{r}\t{t}{(withTextOnlyColumn ? "\tnaïve" : "")}\n");
        File.WriteAllText(Path.Combine(folder, Path.GetFileName(folder) + ".inter"), text.ToString(), new UTF8Encoding(false));
        return folder;
    }

    private static void ShouldBeSame(Dataset fromBytes, Dataset fromText)
    {
        fromBytes.UserIds.Should().Equal(fromText.UserIds);
        fromBytes.ItemIds.Should().Equal(fromText.ItemIds);
        fromBytes.Interactions.RowStart.Should().Equal(fromText.Interactions.RowStart);
        fromBytes.Interactions.Columns.Should().Equal(fromText.Interactions.Columns);
        fromBytes.Interactions.Values.Should().Equal(fromText.Interactions.Values);
        fromBytes.Interactions.Timestamps.Should().Equal(fromText.Interactions.Timestamps);
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
        File.WriteAllText(path, "a\nb");
        LineReader.CountLines(path).Should().Be(2);
        File.WriteAllText(path, "");
        LineReader.CountLines(path).Should().Be(0);
    }
}
