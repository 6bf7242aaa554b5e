namespace Untangle.Host;

/// <summary>
/// A problem with what the user asked for (an unknown name, a bad value, a missing file); its
/// message is the one line the command line prints. Thrown before training starts wherever possible.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
