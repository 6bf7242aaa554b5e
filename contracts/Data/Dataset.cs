namespace Untangle.Contracts.Data;

/// <summary>
/// A loaded data set: users × items interactions plus the side information methods use. Users and
/// items are dense indices 0..n-1; <see cref="UserIds"/> and <see cref="ItemIds"/> keep the raw tokens.
/// </summary>
public sealed class Dataset
{
    public required string Name { get; init; }
    public required string[] UserIds { get; init; }
    public required string[] ItemIds { get; init; }
    /// <summary>Users × items, with ratings as values and timestamps where the source has them.</summary>
    public required Interactions Interactions { get; init; }

    /// <summary>Per-user categorical attributes (gender, age bucket, occupation, a synthetic attribute...).</summary>
    public IReadOnlyDictionary<string, CategoricalAttribute> UserAttributes { get; init; } = new Dictionary<string, CategoricalAttribute>();
    /// <summary>The attribute fairness methods treat as sensitive by default (null if none).</summary>
    public string? SensitiveAttribute { get; init; }
    /// <summary>Item categories or genres (multi-label), or null.</summary>
    public ItemCategories? ItemCategories { get; init; }
    /// <summary>Item titles/descriptions for text features, or null.</summary>
    public string[]? ItemText { get; init; }
    /// <summary>Item feature matrices by modality name ("image", "text", "genre", ...).</summary>
    public IReadOnlyDictionary<string, FeatureMatrix> ItemFeatures { get; init; } = new Dictionary<string, FeatureMatrix>();
    /// <summary>A split that came with the data (vae_cf layout, MMRec's x_label), used by the "presplit" protocol.</summary>
    public Split? PredefinedSplit { get; init; }
    /// <summary>The file (or folder) the interactions were read from, so messages about the data can name it; null for generated data.</summary>
    public string? Source { get; init; }
    /// <summary>Anything else a reader wants to keep (e.g. a synthetic generator's true factors).</summary>
    public IReadOnlyDictionary<string, object> Extras { get; init; } = new Dictionary<string, object>();

    public int UserCount => UserIds.Length;
    public int ItemCount => ItemIds.Length;
}

/// <summary>A categorical attribute: one level code per row, and the level names.</summary>
public sealed record CategoricalAttribute(string Name, string[] Levels, int[] Codes)
{
    public string ValueOf(int row) => Levels[Codes[row]];
}

/// <summary>Multi-label item categories: <see cref="Of"/>[item] lists category indices into <see cref="Names"/>.</summary>
public sealed record ItemCategories(string[] Names, int[][] Of);

/// <summary>A dense row-major float matrix (rows = items).</summary>
public sealed record FeatureMatrix(int Rows, int Columns, float[] Data)
{
    public ReadOnlySpan<float> Row(int r) => Data.AsSpan(r * Columns, Columns);
}
