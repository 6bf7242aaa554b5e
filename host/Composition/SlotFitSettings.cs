using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Composition;

/// <summary>
/// The engine's settings for fitting a component in a <see cref="SlotTraining.Engine"/> slot, resolved
/// in the slot's section (hyper.&lt;slot&gt;.fit_steps, hyper.&lt;slot&gt;.fit_learning_rate) only when the
/// component learns. Defaults: one Adam step at 1e-3 after each step that used the estimator, as the
/// InfoBounds estimators' own fits (CLUB's q, FairMI's and DCID's estimator steps) use.
/// </summary>
public static class SlotFitSettings
{
    public const string Steps = "fit_steps", LearningRate = "fit_learning_rate";

    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int(Steps, 1, "engine: Adam steps on the component's own learning loss after each step whose loss used it (the detached inputs of those calls)").AtLeast(1),
        SettingSpec.Float(LearningRate, 1e-3, "engine: the learning rate of those steps").Positive(),
    ];
}
