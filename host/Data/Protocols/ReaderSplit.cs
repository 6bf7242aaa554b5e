using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// A data set that arrives split (the vae_cf files, MMRec's x_label column) is evaluated on its own
/// split when the experiment's protocol asks for the same kind of split, as RecBole does with its
/// benchmark files: strong generalization ↔ a split with held-out users, weak-random/weak-temporal ↔ a
/// split of the same users' interactions. So `--set dataset.reader=vaecf --set dataset.path=DIR` on a
/// strong-generalization experiment uses DIR's held-out users rather than re-splitting DIR's rows.
/// When the kinds differ the protocol re-splits and the log says why the reader's split was not used.
/// </summary>
public static class ReaderSplit
{
    public static Split Choose(string protocolName, ISplitProtocol protocol, SettingValues options, Dataset dataset, int seed, ILogger log)
    {
        if (dataset.PredefinedSplit is not { } given || protocolName == "presplit")
            return protocol.Apply(dataset, options, seed);
        bool wantsHeldOut = protocolName == "strong";
        bool wantsSameUsers = protocolName.StartsWith("weak-", StringComparison.Ordinal);
        if ((wantsHeldOut && given.HeldOutUsers) || (wantsSameUsers && !given.HeldOutUsers))
        {
            log.LogInformation("data set {Dataset} came split ({Kind}); protocol {Protocol} uses that split as given (options and seed do not re-split it)",
                dataset.Name, Kind(given), protocolName);
            return given;
        }
        log.LogWarning("data set {Dataset} came split ({Kind}) but protocol {Protocol} asks for another kind; re-splitting its rows with {Protocol} (protocol presplit would use the given split)",
            dataset.Name, Kind(given), protocolName, protocolName);
        return protocol.Apply(dataset, options, seed);
    }

    private static string Kind(Split split) => split.HeldOutUsers ? "held-out users" : "the same users' interactions";
}
