namespace Untangle.Host.Data.Readers;

/// <summary>The column types of RecBole's atomic files (RecBole docs, "Atomic Files"): the part after ':' in a header field.</summary>
public enum RecBoleFieldType
{
    /// <summary>One discrete value (ids, gender, a single category).</summary>
    Token,
    /// <summary>Space-separated discrete values (a title's words, several genres).</summary>
    TokenSeq,
    /// <summary>One number (rating, timestamp).</summary>
    Float,
    /// <summary>Space-separated numbers (a pre-computed feature vector).</summary>
    FloatSeq,
}
