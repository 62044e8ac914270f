package dev.cinnabar.storage.commands;

import dev.cinnabar.protocol.command.CommandCall;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;

/** What a data command sees: the client's selected database and the whole keyspace. */
public interface StorageCall extends CommandCall {
    Database db();

    Keyspace keyspace();

    /** Storage settings that shape encodings and limits (CONFIG-backed in the server). */
    StorageSettings settings();
}
