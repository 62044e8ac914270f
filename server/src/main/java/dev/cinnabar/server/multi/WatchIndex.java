package dev.cinnabar.server.multi;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.cinnabar.server.pubsub.ByteKey;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * WATCH bookkeeping (Redis's multi.c watchedKeys): (db, key) → the transactions watching it. A
 * modification of the key (signalModifiedKey), a flush of its database, or its expiry marks those
 * transactions dirty, and their EXEC returns a null array.
 */
public final class WatchIndex {
    private record Key(int db, ByteKey key) {
    }

    private final Map<Key, Set<MultiState.Watched>> watchers = new HashMap<>();
    private final Keyspace keyspace;

    public WatchIndex(final Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** WATCH key: remembers whether the key was already expired so only a later expiry counts. */
    public void watch(final MultiState m, final Database db, final byte[] key) {
        for (final MultiState.Watched w : m.watched) {
            if (w.dbId == db.id() && Arrays.equals(w.key, key)) {
                return;
            }
        }
        final MultiState.Watched w = new MultiState.Watched(m, db.id(), key, db.isExpired(key));
        m.watched.add(w);
        watchers.computeIfAbsent(new Key(db.id(), new ByteKey(key)), k -> new LinkedHashSet<>()).add(w);
    }

    /** UNWATCH (also after EXEC/DISCARD and on disconnect). */
    public void unwatchAll(final MultiState m) {
        for (final MultiState.Watched w : m.watched) {
            final Key k = new Key(w.dbId, new ByteKey(w.key));
            final Set<MultiState.Watched> s = watchers.get(k);
            if (s != null) {
                s.remove(w);
                if (s.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        m.watched.clear();
        m.dirtyCas = false;
    }

    /**
     * Redis's touchWatchedKey. A watcher that saw the key already expired is not dirtied by it: once
     * the key is gone (its expiry or a lookup deleted it) nothing changed logically, and from then on
     * the key counts as an ordinary absent key. While the expired key is still stored, Redis leaves
     * such a watcher clean too.
     */
    public void touch(final int dbId, final byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        final Set<MultiState.Watched> s = watchers.get(new Key(dbId, new ByteKey(key)));
        if (s == null) {
            return;
        }
        for (final MultiState.Watched w : s) {
            if (w.expiredAtWatch) {
                if (keyspace.db(dbId).dict().find(key) == null) {
                    w.expiredAtWatch = false;
                }
                continue;
            }
            w.owner.dirtyCas = true;
        }
    }

    /**
     * Redis's touchAllWatchedKeysInDb, called before FLUSHDB/FLUSHALL empties db (-1 = every db):
     * only watched keys that exist are changed by the flush.
     */
    public void touchFlushed(final Keyspace ks, final int dbId) {
        touchExisting(ks, dbId, dbId);
    }

    /** After SWAPDB: a watched key changed if it exists on either side of the swap. */
    public void touchSwapped(final Keyspace ks, final int dbId1, final int dbId2) {
        touchExisting(ks, dbId1, dbId2);
    }

    private void touchExisting(final Keyspace ks, final int dbA, final int dbB) {
        if (watchers.isEmpty()) {
            return;
        }
        for (final Map.Entry<Key, Set<MultiState.Watched>> e : watchers.entrySet()) {
            final int db = e.getKey().db();
            if (dbA >= 0 && db != dbA && db != dbB) {
                continue;
            }
            final byte[] key = e.getKey().key().bytes();
            final boolean exists = dbA < 0 ? ks.db(db).exists(key, 0, key.length)
                : ks.db(dbA).exists(key, 0, key.length) || ks.db(dbB).exists(key, 0, key.length);
            if (exists) {
                for (final MultiState.Watched w : e.getValue()) {
                    w.owner.dirtyCas = true;
                }
            }
        }
    }

    /** Redis's isWatchedKeyExpired: a watched key that expired after WATCH aborts EXEC. */
    public boolean anyExpiredSinceWatch(final MultiState m, final Keyspace ks) {
        for (final MultiState.Watched w : m.watched) {
            if (!w.expiredAtWatch && ks.db(w.dbId).isExpired(w.key)) {
                return true;
            }
        }
        return false;
    }
}
