package dev.cinnabar.server.multi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
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

    private final Map<Key, Set<MultiState>> watchers = new HashMap<>();

    /** WATCH key: remembers whether the key was already expired so only a later expiry counts. */
    public void watch(final MultiState m, final Database db, final byte[] key) {
        for (final MultiState.Watched w : m.watched) {
            if (w.dbId() == db.id() && java.util.Arrays.equals(w.key(), key)) {
                return;
            }
        }
        final long when = db.expireAt(key);
        final boolean expired = when >= 0 && when <= db.keyspace().nowMs();
        m.watched.add(new MultiState.Watched(db.id(), key, expired));
        watchers.computeIfAbsent(new Key(db.id(), new ByteKey(key)), k -> new LinkedHashSet<>()).add(m);
    }

    /** UNWATCH (also after EXEC/DISCARD and on disconnect). */
    public void unwatchAll(final MultiState m) {
        for (final MultiState.Watched w : m.watched) {
            final Key k = new Key(w.dbId(), new ByteKey(w.key()));
            final Set<MultiState> s = watchers.get(k);
            if (s != null) {
                s.remove(m);
                if (s.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        m.watched.clear();
        m.dirtyCas = false;
    }

    /** Redis's touchWatchedKey. */
    public void touch(final int dbId, final byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        final Set<MultiState> s = watchers.get(new Key(dbId, new ByteKey(key)));
        if (s != null) {
            for (final MultiState m : s) {
                m.dirtyCas = true;
            }
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
        for (final Map.Entry<Key, Set<MultiState>> e : watchers.entrySet()) {
            final int db = e.getKey().db();
            if (dbA >= 0 && db != dbA && db != dbB) {
                continue;
            }
            final byte[] key = e.getKey().key().bytes();
            final boolean exists = dbA < 0 ? ks.db(db).exists(key, 0, key.length)
                : ks.db(dbA).exists(key, 0, key.length) || ks.db(dbB).exists(key, 0, key.length);
            if (exists) {
                for (final MultiState m : e.getValue()) {
                    m.dirtyCas = true;
                }
            }
        }
    }

    /** Redis's isWatchedKeyExpired: a watched key that expired after WATCH aborts EXEC. */
    public boolean anyExpiredSinceWatch(final MultiState m, final Keyspace ks) {
        final List<MultiState.Watched> list = new ArrayList<>(m.watched);
        for (final MultiState.Watched w : list) {
            if (w.expiredAtWatch()) {
                continue;
            }
            final long when = ks.db(w.dbId()).expireAt(w.key());
            if (when >= 0 && when <= ks.nowMs()) {
                return true;
            }
        }
        return false;
    }
}
