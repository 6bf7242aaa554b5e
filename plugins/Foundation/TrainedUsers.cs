using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// The guard for scorers that look users up in an embedding table: they can only score users they
/// trained on. A held-out user (index -1, strong generalization) would otherwise fail deep inside
/// index_select with a message that names neither the method nor the cause.
/// </summary>
public static class TrainedUsers
{
    public static void Require(Tensor users, string method)
    {
        if (users.numel() == 0) return;
        using var smallest = users.min();
        if (smallest.item<long>() < 0)
            throw new InvalidOperationException(
                $"{method} scores only users it trained on, but the batch holds a held-out user (index -1); " +
                "use a protocol that evaluates training users (weak-random, weak-temporal) or a method that folds in histories");
    }
}
