package dev.cinnabar.storage.keyspace;

import java.util.function.Consumer;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;

/**
 * One of the numbered databases: the main dictionary and the expires dictionary.
 *
 * <p>Lookups apply lazy expiry first (Redis's expireIfNeeded): on a master an expired key is
 * deleted and reported through {@link KeyspaceEvents#keyExpired}; on a replica it only reads as
 * missing, because replicas wait for the master's DEL.
 *
 * <p>Every change to a key passes through this class (lookupWrite before an in-place change,
 * set, overwrite, delete, the expiry paths, setExpire, removeExpire), which is where a running
 * snapshot's {@link CopyOnWrite} hook sees the key first.
 */
public final class Database {
    private final int id;
    private final Keyspace keyspace;
    private Dict<Entry> dict;
    private Dict<ExpireEntry> expires;
    /** Sum of TTLs sampled by the active expire cycle, for INFO keyspace avg_ttl. */
    long avgTtl;
    /** This database's share of the used-memory estimate (see {@link MemoryAccounting}). */
    long usedBytes;

    Database(final int id, final Keyspace keyspace) {
        this.id = id;
        this.keyspace = keyspace;
        this.dict = new Dict<>(keyspace.seed());
        this.expires = new Dict<>(keyspace.seed());
    }

    public int id() {
        return id;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Dict<Entry> dict() {
        return dict;
    }

    public Dict<ExpireEntry> expires() {
        return expires;
    }

    public int size() {
        return dict.size();
    }

    public long avgTtl() {
        return avgTtl;
    }

    /** Looks a key up for reading: expiry, LRU touch and keyspace_hits/misses. */
    public Object lookupRead(final byte[] b, final int off, final int len) {
        final Entry e = lookupReadEntry(b, off, len);
        return e == null ? null : e.value;
    }

    public Object lookupRead(final Args args, final int i) {
        return lookupRead(args.array(), args.offset(i), args.length(i));
    }

    /** Like {@link #lookupRead} but returns the entry (for a read that may convert the encoding). */
    public Entry lookupReadEntry(final byte[] b, final int off, final int len) {
        final Entry e = lookup(b, off, len);
        if (e == null) {
            keyspace.stats.keyspaceMisses++;
            return null;
        }
        keyspace.stats.keyspaceHits++;
        keyspace.touch(e);
        return e;
    }

    /** Redis's LOOKUP_NOTOUCH read (TYPE, EXISTS, TTL): hit/miss statistics, no LRU touch. */
    public Object lookupReadNoTouch(final byte[] b, final int off, final int len) {
        final Entry e = lookupEntryNoTouch(b, off, len);
        return e == null ? null : e.value;
    }

    /** The entry of a LOOKUP_NOTOUCH read (OBJECT): hit/miss statistics, no LRU touch. */
    public Entry lookupEntryNoTouch(final byte[] b, final int off, final int len) {
        final Entry e = lookup(b, off, len);
        if (e == null) {
            keyspace.stats.keyspaceMisses++;
        } else {
            keyspace.stats.keyspaceHits++;
        }
        return e;
    }

    public Object lookupReadNoTouch(final Args args, final int i) {
        return lookupReadNoTouch(args.array(), args.offset(i), args.length(i));
    }

    /** Like {@link #lookupWrite} but returns the entry, for in-place changes ({@link #overwrite}). */
    public Entry lookupWriteEntry(final byte[] b, final int off, final int len) {
        final Entry e = lookup(b, off, len);
        if (e != null) {
            willChange(e);
            keyspace.touch(e);
        }
        return e;
    }

    public Entry lookupWriteEntry(final Args args, final int i) {
        return lookupWriteEntry(args.array(), args.offset(i), args.length(i));
    }

    /**
     * Looks a key up for writing: expiry and LRU touch, no hit/miss statistics. The caller may
     * change the returned value in place (a running snapshot has saved it first).
     */
    public Object lookupWrite(final byte[] b, final int off, final int len) {
        final Entry e = lookup(b, off, len);
        if (e == null) {
            return null;
        }
        willChange(e);
        keyspace.touch(e);
        return e.value;
    }

    public Object lookupWrite(final Args args, final int i) {
        return lookupWrite(args.array(), args.offset(i), args.length(i));
    }

    public Object lookupWrite(final byte[] key) {
        return lookupWrite(key, 0, key.length);
    }

    /** The entry after lazy expiry, without touching LRU or statistics (OBJECT, TYPE-free peeks). */
    public Entry lookup(final byte[] b, final int off, final int len) {
        final Entry e = dict.find(b, off, len);
        if (e == null) {
            return null;
        }
        if (expires.size() > 0 && expireIfNeeded(e)) {
            return null;
        }
        return e;
    }

    public Entry lookup(final byte[] key) {
        return lookup(key, 0, key.length);
    }

    public boolean exists(final byte[] b, final int off, final int len) {
        return lookup(b, off, len) != null;
    }

    /**
     * Whether a key's deadline passed, without deleting it (Redis's keyIsExpired, used by KEYS,
     * which must not delete while it iterates).
     */
    public boolean isExpired(final byte[] key) {
        if (expires.size() == 0) {
            return false;
        }
        final ExpireEntry x = expires.find(key);
        return x != null && x.whenMs <= keyspace.nowMs();
    }

    /** Redis's signalModifiedKey (WATCH, client tracking). */
    public void signalModified(final byte[] key) {
        keyspace.events().keyModified(this, key);
    }

    /** Redis's notifyKeyspaceEvent for a key of this database. */
    public void notify(final int type, final String event, final byte[] key) {
        keyspace.events().notify(type, event, key, id);
    }

    /** Lazy expiry of a found entry; true when the key is (logically) gone. */
    private boolean expireIfNeeded(final Entry e) {
        final ExpireEntry x = expires.find(e.key);
        if (x == null || x.whenMs > keyspace.nowMs()) {
            return false;
        }
        if (keyspace.replicaMode()) {
            return true;
        }
        deleteExpired(e.key);
        return true;
    }

    /** Deletes a key whose deadline passed and reports it (stats, DEL propagation, notification). */
    void deleteExpired(final byte[] key) {
        if (keyspace.cow != null) {
            beforeWrite(dict.find(key));
        }
        removed(dict.remove(key));
        removedExpire(expires.remove(key));
        keyspace.stats.expiredKeys++;
        keyspace.events().keyExpired(this, key);
        keyspace.events().notify(Notify.EXPIRED, "expired", key, id);
        keyspace.events().keyModified(this, key);
    }

    /**
     * Redis's setKey: adds or overwrites; the TTL is dropped unless {@code keepTtl}; signals the
     * modification. Does not notify (the command knows the event name).
     */
    public void set(final byte[] key, final Object value, final boolean keepTtl) {
        final Entry e = dict.find(key);
        if (e == null) {
            setNew(key, value);
        } else {
            willChange(e);
            overwrite(e, value, keepTtl);
        }
    }

    /** SET of a key known to be absent (after a failed lookup for writing). */
    public void setNew(final byte[] key, final Object value) {
        add(key, value);
        keyspace.events().keyModified(this, key);
    }

    /**
     * Replaces the value of an entry just looked up for writing (SET on an existing key): no second
     * lookup, the entry keeps its key array. Drops the TTL unless {@code keepTtl}.
     */
    public void overwrite(final Entry e, final Object value, final boolean keepTtl) {
        e.value = value;
        keyspace.overwritten(e);
        if (!keepTtl && expires.size() > 0) {
            removedExpire(expires.remove(e.key));
        }
        keyspace.events().keyModified(this, e.key);
    }

    /**
     * Adds a key known to be absent (after a failed lookup). Like Redis's dbAdd it sends the "new"
     * keyspace notification; it does not signal the modification (callers do, once per command).
     */
    public Entry add(final byte[] key, final Object value) {
        final Entry n = new Entry(key, value);
        n.lru = keyspace.initialAccess();
        n.epoch = keyspace.epoch;
        dict.add(n);
        keyspace.memory.added(this, n);
        if (value instanceof TypedValue) {
            // Redis's dbAdd signals every added key as ready; only lists, zsets and streams wake clients
            keyspace.events().keyReady(this, key);
        }
        keyspace.events().notify(Notify.NEW, "new", key, id);
        return n;
    }

    /**
     * Adds a key read from an RDB file (Redis's dbAddRDBLoad): no notification, no signal.
     * Returns null, adding nothing, when the key exists already.
     */
    public Entry addLoaded(final byte[] key, final Object value) {
        final Entry n = new Entry(key, value);
        n.lru = keyspace.initialAccess();
        n.epoch = keyspace.epoch;
        if (dict.addIfAbsent(n) != null) {
            return null;
        }
        keyspace.memory.added(this, n);
        return n;
    }

    /** Sizes the dictionaries for a load (an RDB's RESIZEDB hint), as Redis's dictExpand does. */
    public void expandForLoad(final int keys, final int keysWithTtl) {
        dict.expand(keys);
        expires.expand(keysWithTtl);
    }

    /** Replaces the value of an existing key in place, keeping its TTL, without signalling. */
    public void overwrite(final Entry e, final Object value) {
        willChange(e);
        e.value = value;
    }

    /**
     * Announces an in-place change of {@code e}'s value by a caller that did not look it up for
     * writing (SORT converting a sorted set's encoding): the snapshot and the memory estimate see
     * the value as it was. Lookups for writing call this themselves.
     */
    public void willChange(final Entry e) {
        beforeWrite(e);
        keyspace.memory.changing(this, e);
    }

    private void removed(final Entry e) {
        if (e != null) {
            keyspace.memory.removed(this, e);
        }
    }

    private void removedExpire(final ExpireEntry x) {
        if (x != null) {
            usedBytes -= MemoryAccounting.EXPIRE_ENTRY_BYTES;
        }
    }

    /** This database's share of the used-memory estimate, pending changes applied. */
    public long usedMemory() {
        keyspace.memory.settle();
        return usedBytes + MemorySizes.REFERENCE * ((long) dict.buckets() + expires.buckets());
    }

    /** Lets a running snapshot save {@code e} before it changes (see {@link CopyOnWrite}). */
    private void beforeWrite(final Entry e) {
        final CopyOnWrite hook = keyspace.cow;
        if (hook != null && e != null && e.epoch != keyspace.epoch) {
            hook.beforeWrite(this, e);
        }
    }

    /** Deletes a key; true when it existed. Signals nothing: callers notify with their event. */
    public boolean delete(final byte[] b, final int off, final int len) {
        if (keyspace.cow != null) {
            beforeWrite(dict.find(b, off, len));
        }
        if (expires.size() > 0) {
            removedExpire(expires.remove(b, off, len));
        }
        final Entry e = dict.remove(b, off, len);
        removed(e);
        return e != null;
    }

    public boolean delete(final byte[] key) {
        return delete(key, 0, key.length);
    }

    /** The absolute deadline in ms, or -1 without one. */
    public long expireAt(final byte[] b, final int off, final int len) {
        if (expires.size() == 0) {
            return -1;
        }
        final ExpireEntry x = expires.find(b, off, len);
        return x == null ? -1 : x.whenMs;
    }

    public long expireAt(final byte[] key) {
        return expireAt(key, 0, key.length);
    }

    /** Sets the deadline of an existing key (the key's own byte[] is shared with the dict). */
    public void setExpire(final byte[] key, final long whenMs) {
        final Entry e = dict.find(key);
        if (e == null) {
            return;
        }
        beforeWrite(e);
        final ExpireEntry x = expires.find(key);
        if (x != null) {
            x.whenMs = whenMs;
        } else {
            expires.add(new ExpireEntry(e.key, whenMs));
            usedBytes += MemoryAccounting.EXPIRE_ENTRY_BYTES;
        }
    }

    public boolean removeExpire(final byte[] b, final int off, final int len) {
        if (expires.size() == 0) {
            return false;
        }
        if (keyspace.cow != null) {
            beforeWrite(dict.find(b, off, len));
        }
        final ExpireEntry x = expires.remove(b, off, len);
        removedExpire(x);
        return x != null;
    }

    public boolean removeExpire(final byte[] key) {
        return removeExpire(key, 0, key.length);
    }

    /** A random live key (expired ones met on the way are expired), or null. */
    public byte[] randomKey() {
        for (int tries = 0; tries < 100 && dict.size() > 0; tries++) {
            final Entry e = dict.random(keyspace.random());
            final ExpireEntry x = expires.size() > 0 ? expires.find(e.key) : null;
            if (x != null && x.whenMs <= keyspace.nowMs()) {
                if (keyspace.replicaMode()) {
                    // a replica cannot delete; after many expired hits return one anyway, as Redis does
                    if (tries == 99) {
                        return e.key;
                    }
                    continue;
                }
                deleteExpired(e.key);
                continue;
            }
            return e.key;
        }
        return null;
    }

    public long scan(final long cursor, final Consumer<Entry> fn) {
        return dict.scan(cursor, fn);
    }

    /** Empties the database; returns the number of keys removed. */
    public long clear() {
        final long n = dict.size();
        // new tables, never dict.clear(): a running snapshot still walks the old ones
        dict = new Dict<>(keyspace.seed());
        expires = new Dict<>(keyspace.seed());
        avgTtl = 0;
        usedBytes = 0;
        keyspace.memory.cleared(this);
        return n;
    }

    /** Exchanges contents with another database (SWAPDB): ids stay, data moves. */
    void swapWith(final Database other) {
        keyspace.memory.settle();
        final Dict<Entry> d = dict;
        final Dict<ExpireEntry> x = expires;
        final long a = avgTtl;
        final long u = usedBytes;
        dict = other.dict;
        expires = other.expires;
        avgTtl = other.avgTtl;
        usedBytes = other.usedBytes;
        other.dict = d;
        other.expires = x;
        other.avgTtl = a;
        other.usedBytes = u;
    }

    /** Incremental rehash and shrink, run from the cron (Redis's databasesCron). */
    public void cronResize(final long micros) {
        dict.shrinkIfNeeded();
        expires.shrinkIfNeeded();
        dict.rehashMicroseconds(micros);
        expires.rehashMicroseconds(micros);
    }
}
