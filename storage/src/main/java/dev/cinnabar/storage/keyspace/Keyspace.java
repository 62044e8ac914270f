package dev.cinnabar.storage.keyspace;

import java.util.SplittableRandom;

/**
 * All databases and the state shared by them: the cached clock, the dirty counter, statistics and
 * the event sink. Owned by the keyspace thread; nothing here is thread-safe by design.
 */
public final class Keyspace {
    /** Counters reported by INFO stats. */
    public static final class Stats {
        public long keyspaceHits;
        public long keyspaceMisses;
        public long expiredKeys;
        public long expiredStalePerc;
        public long expiredTimeCapReached;
        public long evictedKeys;
    }

    public final Stats stats = new Stats();
    private final Database[] dbs;
    private final int seed;
    private final SplittableRandom random = new SplittableRandom();
    private KeyspaceEvents events = KeyspaceEvents.NONE;
    private long nowMs = System.currentTimeMillis();
    private boolean replicaMode;
    /** Redis's server.dirty: changes since the last save; commands bump it, dispatch compares it. */
    public long dirty;

    public Keyspace(final int databases) {
        this.seed = new SplittableRandom().nextInt();
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, this);
        }
    }

    public Database db(final int i) {
        return dbs[i];
    }

    public int databases() {
        return dbs.length;
    }

    int seed() {
        return seed;
    }

    public SplittableRandom random() {
        return random;
    }

    public KeyspaceEvents events() {
        return events;
    }

    public void events(final KeyspaceEvents sink) {
        this.events = sink;
    }

    /** The cached time every expiry check uses; the server sets it before each command. */
    public long nowMs() {
        return nowMs;
    }

    public void nowMs(final long ms) {
        this.nowMs = ms;
    }

    /** Redis's LRU clock: seconds, 24 bits. */
    public int lruClock() {
        return (int) ((nowMs / 1000) & 0xFFFFFF);
    }

    /** On a replica, expired keys read as missing but are deleted only by the master's DEL. */
    public boolean replicaMode() {
        return replicaMode;
    }

    public void replicaMode(final boolean replica) {
        this.replicaMode = replica;
    }

    public long totalKeys() {
        long n = 0;
        for (final Database db : dbs) {
            n += db.size();
        }
        return n;
    }

    public void swap(final int a, final int b) {
        dbs[a].swapWith(dbs[b]);
    }

    /** Empties every database; returns the number of keys removed. */
    public long flushAll() {
        long n = 0;
        for (final Database db : dbs) {
            n += db.clear();
        }
        return n;
    }
}
