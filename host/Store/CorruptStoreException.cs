namespace Untangle.Host.Store;

/// <summary>The experiment store's file is not a readable SQLite store of this host's schema; reported, never overwritten.</summary>
public sealed class CorruptStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The experiment store cannot be read or written now (full disk, I/O error, locked, read-only); the file is not damaged.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
