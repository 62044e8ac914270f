package dev.cinnabar.server;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;

/**
 * Where the keyspace's signals land in the server: WATCH invalidation (Redis's signalModifiedKey
 * and signalFlushedDb), expired and evicted keys propagated as DEL (UNLINK for a lazy eviction) so
 * replicas and the AOF converge, keyspace notifications, and keys that blocked clients wait on.
 */
final class ServerKeyspaceEvents implements KeyspaceEvents {
    private static final byte[] DEL = Bytes.ascii("DEL");
    private static final byte[] UNLINK = Bytes.ascii("UNLINK");

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
    public void keyEvicted(final Database db, final byte[] key, final boolean lazy) {
        server.propagator().propagateNow(db.id(), new byte[][] {lazy ? UNLINK : DEL, key});
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
        final ClientSession c = server.currentClient();
        // FLUSHALL (not a full sync's flush, not DEBUG RELOAD) also resets dump.rdb, as Redis does
        if (dbId == -1 && c != null && server.persistence() != null && c.lastCommand().equals("flushall")) {
            server.persistence().flushingAll();
        }
        server.watches().touchFlushed(server.keyspace(), dbId);
        server.tracking().flushed();
    }

    @Override
    public void swapped(final int dbId1, final int dbId2) {
        server.watches().touchSwapped(server.keyspace(), dbId1, dbId2);
        server.blocking().dbSwapped(dbId1, dbId2);
    }
}
