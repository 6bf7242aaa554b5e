using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// Bayesian personalised ranking (Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit
/// Feedback", UAI 2009, sec. 4.1, BPR-OPT), as LightGCN trains it (He et al., SIGIR 2020, eq. 15).
/// </summary>
/// <remarks>
/// <para>
/// The ranking term is −mean ln σ(ŷ_ui − ŷ_uj) over a batch of (user, positive, negative) triples,
/// computed as mean softplus(ŷ_uj − ŷ_ui), which is the same quantity but stays finite when the
/// margin is large (as LightGCN's reference code, <c>torch.nn.functional.softplus(neg - pos)</c>).
/// </para>
/// <para>
/// The L2 term follows the reference code (gusye1234/LightGCN-PyTorch, <c>PureMF/LightGCN.bpr_loss</c>)
/// rather than the paper's λ‖E⁽⁰⁾‖²: it penalises only the batch's ego (layer-0) embeddings,
/// <c>reg · (‖e_u‖² + ‖e_i‖² + ‖e_j‖²) / 2 / batch size</c>, with reg = 1e-4 by default. RecBole's
/// EmbLoss is the same up to the factor 1/2. Regularising the ego and not the propagated embeddings
/// matters: the propagated ones are functions of many users' and items' ego embeddings.
/// </para>
/// </remarks>
public static class BprObjective
{
    /// <summary>mean softplus(neg − pos) = −mean ln σ(pos − neg), for score vectors of equal length.</summary>
    public static Tensor Loss(Tensor positiveScores, Tensor negativeScores) =>
        nn.functional.softplus(negativeScores - positiveScores).mean();

    /// <summary>
    /// reg · (‖users‖² + ‖positives‖² + ‖negatives‖²) / 2 / batch size, over the batch's ego
    /// embeddings (each batch × d; the batch size is the number of rows).
    /// </summary>
    public static Tensor EgoL2(Tensor users, Tensor positives, Tensor negatives, double weight)
    {
        var squares = users.Squared().sum().Plus(positives.Squared().sum()).Plus(negatives.Squared().sum());
        return squares.Times(weight / 2.0 / users.shape[0]);
    }

    /// <summary>ŷ for aligned rows: the dot product of each user row with its item row (batch × d → batch).</summary>
    public static Tensor RowScores(Tensor users, Tensor items) => (users * items).sum(1);
}
