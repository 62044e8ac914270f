package dev.cinnabar.server;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;

/**
 * Where the keyspace's signals land in the server: WATCH invalidation (Redis's signalModifiedKey
 * and signalFlushedDb), expired keys propagated as DEL so replicas and the AOF converge, keyspace
 * notifications, and keys that blocked clients wait on.
 */
final class ServerKeyspaceEvents implements KeyspaceEvents {
    private static final byte[] DEL = Bytes.ascii("DEL");

    private final Server server;

    ServerKeyspaceEvents(final Server server) {
        this.server = server;
    }

    @Override
    public void keyModified(final Database db, final byte[] key) {
        server.watches().touch(db.id(), key);
        server.tracking().keyModified(key, server.currentClient());
    }

    @Override
    public void keyExpired(final Database db, final byte[] key) {
        server.propagator().propagateNow(db.id(), new byte[][] {DEL, key});
    }

    @Override
    public void notify(final int type, final String event, final byte[] key, final int dbId) {
        server.notifier().notify(type, event, key, dbId);
    }

    @Override
    public void keyReady(final Database db, final byte[] key) {
        server.blocking().keyReady(db.id(), key);
    }

    @Override
    public void flushed(final int dbId) {
        server.watches().touchFlushed(server.keyspace(), dbId);
        server.tracking().flushed();
    }

    @Override
    public void swapped(final int dbId1, final int dbId2) {
        server.watches().touchSwapped(server.keyspace(), dbId1, dbId2);
        server.blocking().dbSwapped(dbId1, dbId2);
    }
}
