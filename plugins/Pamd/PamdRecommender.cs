using Untangle.Plugins.Foundation;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's downstream recommender (Han et al., WWW 2022, sec. 3.5; official <c>Net.get_att_item_rep</c>):
/// the item representation adds the user-attention-weighted modality parts to the item ID embedding,
/// <code>
///   α_uik = softmax_k(e_u·m_ik)   over m_i ∈ {c_v, c_t, s_v, s_t}
///   r_ui  = e_i + Σ_k α_uik·m_ik       ŷ_ui = e_u·r_ui = e_u·e_i + Σ_k α_uik·(e_u·m_ik)
/// </code>
/// where the parts come from the pretrained encoders, fine-tuned with the recommender.
/// </summary>
/// <remarks>
/// The second form of ŷ lets full ranking score every item without building a users × items × d
/// tensor: the attention logits e_u·m_ik are also the terms it weights.
/// </remarks>
public sealed class PamdRecommender(UserItemEmbeddings embeddings, DisentangledEncoders encoders, ItemModalities items)
{
    public const int Parts = 4;

    /// <summary>The four parts of <paramref name="itemIndices"/> (int64), rows × 4 × d.</summary>
    public Tensor PartsOf(Tensor itemIndices) =>
        encoders.Encode(items.V.index_select(0, itemIndices), items.T.index_select(0, itemIndices)).Stacked();

    /// <summary>The attention weights α over the four parts for aligned (user, item) rows: rows × 4, each row summing to 1.</summary>
    public Tensor Attention(Tensor users, Tensor itemIndices) => Softmax(embeddings.Users(users), PartsOf(itemIndices));

    /// <summary>r_ui for aligned rows: rows × d.</summary>
    public Tensor Representation(Tensor users, Tensor itemIndices)
    {
        var parts = PartsOf(itemIndices);
        var alpha = Softmax(embeddings.Users(users), parts);
        return embeddings.Items(itemIndices) + (alpha.unsqueeze(2) * parts).sum(1);
    }

    /// <summary>ŷ_ui = e_u·r_ui for aligned rows.</summary>
    public Tensor RowScores(Tensor users, Tensor itemIndices) => (embeddings.Users(users) * Representation(users, itemIndices)).sum(1);

    /// <summary>ŷ for every item: users × items.</summary>
    public Tensor ScoreAll(Tensor users)
    {
        var eu = embeddings.Users(users);
        var all = encoders.Encode(items.V, items.T);
        var logits = stack([eu.mm(all.CV.t()), eu.mm(all.CT.t()), eu.mm(all.SV.t()), eu.mm(all.ST.t())], 2);
        var alpha = logits.softmax(2);
        return eu.mm(embeddings.ItemTable.t()) + (alpha * logits).sum(2);
    }

    /// <summary>softmax_k(e_u·m_k) for rows × d users and rows × 4 × d parts.</summary>
    public static Tensor Softmax(Tensor userRows, Tensor parts) => parts.matmul(userRows.unsqueeze(2)).squeeze(2).softmax(1);
}
