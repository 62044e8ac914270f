package dev.cinnabar.storage.commands;

import dev.cinnabar.protocol.command.CommandCall;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.type.ValueType;

/** What a data command sees: the client's selected database and the whole keyspace. */
public interface StorageCall extends CommandCall {
    Database db();

    Keyspace keyspace();

    /** Storage settings that shape encodings and limits (CONFIG-backed in the server). */
    StorageSettings settings();

    /** The server's memory figures for MEMORY STATS; without a server, the keyspace's estimate alone. */
    default MemoryFigures memoryFigures() {
        final long used = keyspace().usedMemory();
        return new MemoryFigures(used, used, 0, 0, 0, used, used, used);
    }

    /**
     * A blocking command found nothing to serve: wait until a value of {@code type} is created at
     * one of {@code keys}, then the command runs again; {@code timeoutMs} 0 waits forever. Returns
     * false when this caller may not block (inside EXEC): the handler then replies as on a timeout.
     */
    default boolean block(final ValueType type, final long timeoutMs, final byte[][] keys) {
        return false;
    }

    /**
     * Whether the caller's ACL user may run the current command while reading any key (allkeys or
     * a "%R~*" pattern), {@code args} being the command's arguments: SORT's BY and GET patterns
     * read keys no key spec names.
     */
    default boolean unrestrictedKeyRead(final Args args) {
        return true;
    }
}
