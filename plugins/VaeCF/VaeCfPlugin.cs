namespace Untangle.Plugins.VaeCF;

/// <summary>
/// Untangle.Plugins.VaeCF: the autoencoders of Liang, Krishnan, Hoffman, Jebara, "Variational
/// Autoencoders for Collaborative Filtering", WWW 2018 (reference code: github.com/dawenl/vae_cf).
/// MEF finds the exports by their attributes; this file names them, as a table of contents.
/// </summary>
/// <remarks>
/// <para><b>Methods</b> (user-row batches; they fold in held-out users, so strong generalization works)</para>
/// <list type="bullet">
///   <item>"multdae" — <see cref="MultDaeMethod"/> with <see cref="MultDaeModel"/>.</item>
///   <item>"multvae" — <see cref="MultVaeMethod"/> with <see cref="MultVaeModel"/> (β-MultVAE, KL annealed to a cap).</item>
/// </list>
/// <para><b>Blocks</b> (plain code, reused by the MacridVae plugin)</para>
/// <list type="bullet">
///   <item><see cref="SparseRows"/>: a batch of user rows as its non-zeros; L2 normalisation, dropout and
///   item weighting on the values; sparse × dense products, so no dense batch × items input is built.</item>
///   <item><see cref="UserRowInput"/>: normalise, then dropout in training.</item>
///   <item><see cref="DenseLayer"/> and <see cref="TanhStack"/>: h·W + b with the reference code's
///   Glorot-uniform weights and truncated-normal(0.001) biases; tanh between layers.</item>
///   <item><see cref="MultinomialLikelihood"/>, <see cref="GaussianKl"/>, <see cref="KlAnnealing"/>.</item>
/// </list>
/// <para><b>Departures from the reference code</b></para>
/// <list type="bullet">
///   <item>Randomness (initial weights, dropout masks, ε) comes from the run's seed through torch's
///   generators, not TensorFlow's, so runs match the reference in distribution, not draw for draw.</item>
///   <item>The input is sparse end to end (the reference code densifies each batch with toarray()); the
///   arithmetic is the same.</item>
///   <item>The engine owns the loop (shuffle users each epoch, validate NDCG@100 every epoch, keep the
///   best); the step count for annealing is the engine's global batch counter, the reference code's update_count.</item>
/// </list>
/// </remarks>
public static class VaeCfPlugin
{
    public const string MultDae = "multdae";
    public const string MultVae = "multvae";

    public const string Citation =
        "Dawen Liang, Rahul G. Krishnan, Matthew D. Hoffman, Tony Jebara. Variational Autoencoders for Collaborative Filtering. WWW 2018.";
}
