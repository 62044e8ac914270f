package dev.cinnabar.storage.keyspace;

/**
 * What the keyspace tells the rest of the server. Storage knows nothing of clients or replicas;
 * the server implements this to invalidate WATCH and tracking, propagate expiries as DEL, publish
 * keyspace notifications and wake blocked clients.
 */
public interface KeyspaceEvents {
    /** Redis's signalModifiedKey: a key's value changed (WATCH, client tracking). */
    default void keyModified(final Database db, final byte[] key) {
    }

    /** A key was found expired and deleted (lazily or by the active cycle): propagate DEL. */
    default void keyExpired(final Database db, final byte[] key) {
    }

    /**
     * maxmemory eviction deleted a key: propagate DEL, or UNLINK when {@code lazy}
     * (lazyfree-lazy-eviction), as Redis's propagateDeletion does.
     */
    default void keyEvicted(final Database db, final byte[] key, final boolean lazy) {
    }

    /** Redis's notifyKeyspaceEvent; {@code type} is a {@link Notify} class bit. */
    default void notify(final int type, final String event, final byte[] key, final int dbId) {
    }

    /** A list/zset/stream key that blocked clients may wait on received elements. */
    default void keyReady(final Database db, final byte[] key) {
    }

    /** Redis's signalFlushedDb, sent just before db (or all dbs when -1) is emptied. */
    default void flushed(final int dbId) {
    }

    /** SWAPDB exchanged the contents of two databases (WATCH invalidation, blocked clients). */
    default void swapped(final int dbId1, final int dbId2) {
    }

    KeyspaceEvents NONE = new KeyspaceEvents() {
    };
}
