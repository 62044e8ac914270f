package dev.cinnabar.storage.keyspace;

import java.util.SplittableRandom;

import dev.cinnabar.storage.commands.StorageSettings;

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

    /** Redis's LRU_CLOCK_MAX: the LRU clock wraps at 24 bits. */
    private static final int LRU_CLOCK_MAX = 0xFFFFFF;

    public final Stats stats = new Stats();
    private StorageSettings settings = new StorageSettings();
    private final Database[] dbs;
    private final int seed;
    private final SplittableRandom random = new SplittableRandom();
    private KeyspaceEvents events = KeyspaceEvents.NONE;
    private long nowMs = System.currentTimeMillis();
    private boolean replicaMode;
    /** Redis's server.dirty: changes since the last save; commands bump it, dispatch compares it. */
    public long dirty;
    /** The running snapshot's hook, null when none runs (Database checks it before each change). */
    CopyOnWrite cow;
    /** The current snapshot epoch; new entries take it (see {@link CopyOnWrite}). */
    int epoch;
    /** The running used-memory estimate's pending changes (see {@link MemoryAccounting}). */
    final MemoryAccounting memory = new MemoryAccounting();

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
        return (int) ((nowMs / 1000) & LRU_CLOCK_MAX);
    }

    /**
     * The settings that shape access tracking (maxmemory-policy, lfu-log-factor, lfu-decay-time).
     * The server shares its CONFIG-backed instance here so a CONFIG SET applies at once.
     */
    public StorageSettings settings() {
        return settings;
    }

    public void settings(final StorageSettings s) {
        this.settings = s;
    }

    /** The lru field of a new entry: the LRU clock, or the initial LFU counter under an LFU policy. */
    int initialAccess() {
        return Lfu.isLfuPolicy(settings.maxmemoryPolicy) ? Lfu.initial(nowMs) : lruClock();
    }

    /** Redis's updateLFU / LRU touch on a key access. */
    void touch(final Entry e) {
        if (Lfu.isLfuPolicy(settings.maxmemoryPolicy)) {
            e.lru = Lfu.access(e.lru, nowMs, settings.lfuLogFactor, settings.lfuDecayTime, random);
        } else {
            e.lru = lruClock();
        }
    }

    /** A value replaced by a new one: a fresh LRU stamp, while an LFU counter carries over (dbSetValue). */
    void overwritten(final Entry e) {
        if (!Lfu.isLfuPolicy(settings.maxmemoryPolicy)) {
            e.lru = lruClock();
        }
    }

    /** OBJECT IDLETIME under an LRU policy: seconds since the last access, across clock wraps. */
    public long idleSeconds(final Entry e) {
        final int clock = lruClock();
        return clock >= e.lru ? clock - e.lru : clock + (LRU_CLOCK_MAX - e.lru);
    }

    /** On a replica, expired keys read as missing but are deleted only by the master's DEL. */
    public boolean replicaMode() {
        return replicaMode;
    }

    public void replicaMode(final boolean replica) {
        this.replicaMode = replica;
    }

    /**
     * The estimated heap held by the data set: every key, value, TTL and dict table, in bytes.
     * O(databases): the per-key work was done as keys changed. Feeds INFO used_memory_dataset,
     * maxmemory eviction and MEMORY STATS.
     */
    public long usedMemory() {
        long n = 0;
        for (final Database db : dbs) {
            n += db.usedMemory();
        }
        return n;
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
        events.swapped(a, b);
    }

    /**
     * Exchanges the contents of every database with {@code other}'s, which has as many (a dataset
     * loaded apart, such as a replica's diskless load, takes the place of this one). Signals
     * nothing; no snapshot may be running on either side.
     */
    public void swapContents(final Keyspace other) {
        if (other.dbs.length != dbs.length || cow != null || other.cow != null) {
            throw new IllegalStateException("incompatible keyspace or snapshot running");
        }
        other.memory.settle();
        for (int i = 0; i < dbs.length; i++) {
            dbs[i].swapWith(other.dbs[i]);
        }
    }

    /**
     * Installs a snapshot's copy-on-write hook and opens a new epoch, which every entry existing
     * now lacks. Returns that epoch. Only one snapshot may run at a time.
     */
    public int beginSnapshot(final CopyOnWrite hook) {
        if (cow != null) {
            throw new IllegalStateException("a snapshot is already running");
        }
        cow = hook;
        return ++epoch;
    }

    /** Removes the hook installed by {@link #beginSnapshot} (a no-op for another hook). */
    public void endSnapshot(final CopyOnWrite hook) {
        if (cow == hook) {
            cow = null;
        }
    }

    public boolean snapshotRunning() {
        return cow != null;
    }

    /** The epoch of the running (or last) snapshot. */
    public int epoch() {
        return epoch;
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
