using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Readers;

/// <summary>The two lines every reader logs: how many repeated pairs were merged, and what was loaded.</summary>
public static class ReadSummary
{
    public static void Log(ILogger logger, Dataset dataset, int duplicates)
    {
        logger.LogInformation("{Dataset}: merged {Duplicates} repeated (user, item) pairs (latest timestamp, then last line, wins)",
            dataset.Name, duplicates);
        logger.LogInformation("{Dataset}: {Users} users, {Items} items, {Interactions} interactions",
            dataset.Name, dataset.UserCount, dataset.ItemCount, dataset.Interactions.Count);
    }

    /// <summary>A data set's name from its folder ("ml-100k" for .../ml-100k/).</summary>
    public static string FolderName(string folder) =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))).Name;
}
