namespace Untangle.Host.Store;

/// <summary>The experiment store's file is not a readable SQLite store of this host's schema; reported, never overwritten.</summary>
public sealed class CorruptStoreException(string message, Exception? inner = null) : Exception(message, inner);
