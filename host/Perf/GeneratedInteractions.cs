using System.Globalization;
using System.Text;

namespace Untangle.Host.Perf;

/// <summary>
/// Interaction files of a chosen size for speed measurements: each user draws a fixed number of
/// distinct items with Zipf-like popularity (weight 1/rank^0.8), written as a RecBole .inter or a
/// MovieLens ratings.csv. Seeded: the same sizes give the same files.
/// </summary>
internal static class GeneratedInteractions
{
    private const double PopularityExponent = 0.8;

    /// <summary>Writes <c>FOLDER/NAME.inter</c> (user_id, item_id, rating, timestamp; tab-separated, typed header) and returns its line count (header excluded).</summary>
    public static long WriteInter(string folder, string name, int users, int items, int perUser, int seed) =>
        Write(Path.Combine(folder, name + ".inter"), "user_id:token\titem_id:token\trating:float\ttimestamp:float", '\t', users, items, perUser, seed);

    /// <summary>Writes <c>FOLDER/ratings.csv</c> in the MovieLens 20M layout (userId,movieId,rating,timestamp) and returns its line count.</summary>
    public static long WriteRatingsCsv(string folder, int users, int items, int perUser, int seed) =>
        Write(Path.Combine(folder, "ratings.csv"), "userId,movieId,rating,timestamp", ',', users, items, perUser, seed);

    private static long Write(string path, string header, char separator, int users, int items, int perUser, int seed)
    {
        if (perUser > items) throw new ArgumentOutOfRangeException(nameof(perUser), perUser, $"more items per user than the {items} items");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var cumulative = new double[items];
        double total = 0;
        for (int i = 0; i < items; i++) cumulative[i] = total += 1 / Math.Pow(i + 1, PopularityExponent);
        var random = new Random(seed);
        var chosen = new HashSet<int>(perUser);
        long lines = 0;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(header);
        writer.Write('\n');
        Span<char> number = stackalloc char[24];
        for (int u = 0; u < users; u++)
        {
            chosen.Clear();
            while (chosen.Count < perUser)
            {
                int at = Array.BinarySearch(cumulative, random.NextDouble() * total);
                chosen.Add(Math.Min(at < 0 ? ~at : at, items - 1));
            }
            foreach (int item in chosen)
            {
                Put(writer, number, u + 1);
                writer.Write(separator);
                Put(writer, number, item + 1);
                writer.Write(separator);
                Put(writer, number, 1 + (u + item) % 5); // a rating 1..5
                writer.Write(separator);
                Put(writer, number, 1_000_000_000L + lines);
                writer.Write('\n');
                lines++;
            }
        }
        // On the disk before anything is timed: the kernel writing back hundreds of MB of this file
        // while a reader is timed on another slowed the first timed load by a third.
        writer.Flush();
        ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        return lines;
    }

    private static void Put(StreamWriter writer, Span<char> buffer, long value)
    {
        value.TryFormat(buffer, out int written, provider: CultureInfo.InvariantCulture);
        writer.Write(buffer[..written]);
    }
}
