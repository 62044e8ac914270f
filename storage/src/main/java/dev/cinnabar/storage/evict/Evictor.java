package dev.cinnabar.storage.evict;

import java.util.function.LongSupplier;

import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.ExpireEntry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.Lfu;
import dev.cinnabar.storage.keyspace.Notify;

/**
 * maxmemory enforcement: while used memory exceeds maxmemory, evict keys chosen by the
 * maxmemory-policy, with Redis's sampled approximations of LRU, LFU and nearest-TTL.
 *
 * <p>Why sampling: exact LRU would need a list node per key and a relink per access; Redis
 * instead samples maxmemory-samples keys per database into a 16-slot pool that keeps the best
 * candidates across calls ({@link EvictionPool}), which evicts nearly as well at no per-access
 * cost beyond the 24-bit {@link Entry#lru} field. The random policies pick one random key per
 * database in turn.
 *
 * <p>How the server uses it:
 * <ol>
 *   <li>Before every command while maxmemory is set, call {@link #performEvictions(long)}; on
 *       {@link Result#FAIL} refuse commands flagged denyoom (and any command queued inside MULTI
 *       other than EXEC, DISCARD, QUIT, RESET) with {@code -OOM command not allowed when used
 *       memory > 'maxmemory'.}. After CONFIG SET maxmemory, call {@link #startTimeProc} instead
 *       (Redis 7.0's updateMaxmemory).</li>
 *   <li>While {@link #running()} (one call ran out of its time budget, set by
 *       maxmemory-eviction-tenacity), call {@link #doWork(long)} each event-loop turn: Redis's
 *       evictionTimeProc.</li>
 *   <li>Evicted keys are counted in {@code Keyspace.stats.evictedKeys}, signalled as modified,
 *       notified as "evicted" and reported to {@code KeyspaceEvents.keyEvicted} for DEL/UNLINK
 *       propagation.</li>
 * </ol>
 *
 * <p>Invariants: the amount freed is measured on the keyspace's own estimate around each delete
 * (not on the gauge, which may include buffers and must not be a heap-used reading that only
 * drops after a GC); every loop is bounded by the number of keys or by a fixed count.
 * Redis: evict.c performEvictions(), evictionTimeProc(), getMaxmemoryState().
 */
public final class Evictor {
    /** The verdict for the command about to run (Redis's EVICT_OK, EVICT_RUNNING, EVICT_FAIL). */
    public enum Result {
        /** Memory is within the limit (or eviction does not apply). */
        OK,
        /** Over the limit, evicting goes on in {@link #doWork}; commands run meanwhile. */
        RUNNING,
        /** Over the limit with nothing evictable: refuse denyoom commands. */
        FAIL
    }

    /** The used-memory figure eviction compares with maxmemory. */
    public interface MemoryGauge {
        /** Memory in use, bytes: at least the keyspace estimate, plus what else the server counts. */
        long usedMemory();

        /** Part of {@link #usedMemory} not to count (replica output buffers, AOF buffer). */
        default long notCountedForEviction() {
            return 0;
        }
    }

    /** Whether an eviction "time proc" is pending, as Redis's isEvictionProcRunning. */
    private enum State {
        IDLE, RUNNING
    }

    /** Redis's EVICTION time check interval: the clock is read every 16 evicted keys. */
    private static final int TIME_CHECK_KEYS = 16;
    /** A bound on re-populating the pool when every pooled pick turned out to be a ghost. */
    private static final int MAX_POOL_ROUNDS = 1000;
    private static final int MAX_SAMPLES = 64;

    private final Keyspace keyspace;
    private final LongSupplier nanoClock;
    private MemoryGauge gauge;
    private final EvictionPool pool = new EvictionPool();
    private final Entry[] samples = new Entry[MAX_SAMPLES];
    private final ExpireEntry[] expireSamples = new ExpireEntry[MAX_SAMPLES];
    private int nextDb;
    private State state = State.IDLE;
    private int tenacity = 10;
    private boolean replicaIgnoreMaxmemory = true;
    private boolean lazyEviction;
    private String policyName;
    private EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private long exceededSinceMs = -1;
    private long totalExceededMs;
    /** The key the last successful pick chose, and its database. */
    private Database pickedDb;
    private byte[] pickedKey;

    /** An evictor over {@code keyspace} measuring its own estimate, timed by System.nanoTime. */
    public Evictor(final Keyspace keyspace) {
        this(keyspace, keyspace::usedMemory, System::nanoTime);
    }

    public Evictor(final Keyspace keyspace, final MemoryGauge gauge, final LongSupplier nanoClock) {
        this.keyspace = keyspace;
        this.gauge = gauge;
        this.nanoClock = nanoClock;
    }

    public void gauge(final MemoryGauge g) {
        this.gauge = g;
    }

    /** maxmemory-eviction-tenacity, 0..100: the time one call may spend evicting. */
    public void tenacity(final int t) {
        this.tenacity = Math.max(0, Math.min(100, t));
    }

    /** replica-ignore-maxmemory: a replica leaves eviction to its master. */
    public void replicaIgnoreMaxmemory(final boolean ignore) {
        this.replicaIgnoreMaxmemory = ignore;
    }

    /** lazyfree-lazy-eviction: evicted keys propagate as UNLINK instead of DEL. */
    public void lazyEviction(final boolean lazy) {
        this.lazyEviction = lazy;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** INFO stats total_eviction_exceeded_time, ms, including a period still open. */
    public long totalExceededTimeMs(final long nowMs) {
        return totalExceededMs + currentExceededTimeMs(nowMs);
    }

    /** INFO stats current_eviction_exceeded_time, ms: how long memory has been over the limit. */
    public long currentExceededTimeMs(final long nowMs) {
        return exceededSinceMs < 0 ? 0 : Math.max(0, nowMs - exceededSinceMs);
    }

    /** CONFIG RESETSTAT: the exceeded times restart from zero (an open period reopens at the next check). */
    public void resetStats() {
        totalExceededMs = 0;
        exceededSinceMs = -1;
    }

    /** Redis's evictionTimeLimitUs: linear up to tenacity 10 (500 us), then +15% a step, none at 100. */
    long timeLimitUs() {
        if (tenacity <= 10) {
            return 50L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE;
    }

    private EvictionPolicy policy(final StorageSettings s) {
        if (s.maxmemoryPolicy != policyName) {
            final EvictionPolicy p = EvictionPolicy.of(s.maxmemoryPolicy);
            policy = p == null ? EvictionPolicy.NOEVICTION : p;
            policyName = s.maxmemoryPolicy;
        }
        return policy;
    }

    private void state(final State next) {
        state = next;
    }

    /**
     * Redis's startEvictionTimeProc, for CONFIG SET maxmemory: the next {@link #doWork} runs a
     * full eviction pass even though no call ran out of time.
     */
    public void startTimeProc() {
        state(State.RUNNING);
    }

    /** Redis's evictionTimeProc: keeps evicting while a time-limited call left work. */
    public int doWork(final long nowMs) {
        if (state != State.RUNNING) {
            return 0;
        }
        if (performEvictions(nowMs) != Result.RUNNING) {
            state(State.IDLE);
        }
        return 1;
    }

    /**
     * Evicts keys until used memory is within maxmemory, the time budget runs out, or nothing is
     * left to evict.
     *
     * @return OK when within the limit (also when maxmemory is 0, or on a replica that ignores
     *     it); RUNNING when the budget ran out first ({@link #doWork} goes on); FAIL when over the
     *     limit under noeviction or with no candidate key left
     */
    public Result performEvictions(final long nowMs) {
        final StorageSettings s = keyspace.settings();
        if (s.maxmemory == 0 || (replicaIgnoreMaxmemory && keyspace.replicaMode())) {
            return metrics(Result.OK, nowMs);
        }
        final long used = gauge.usedMemory();
        if (used <= s.maxmemory) {
            return metrics(Result.OK, nowMs);
        }
        final long counted = used - Math.min(used, gauge.notCountedForEviction());
        if (counted <= s.maxmemory) {
            return metrics(Result.OK, nowMs);
        }
        final EvictionPolicy p = policy(s);
        if (p == EvictionPolicy.NOEVICTION) {
            return metrics(Result.FAIL, nowMs);
        }
        final long toFree = counted - s.maxmemory;
        final long limitNs = timeLimitUs() > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : timeLimitUs() * 1000;
        final long startNs = nanoClock.getAsLong();
        long freed = 0;
        long keysFreed = 0;
        while (freed < toFree) {
            final boolean found = p.rank().pooled() ? pickFromPool(p, s, nowMs) : pickRandom(p);
            if (!found) {
                return metrics(Result.FAIL, nowMs);
            }
            freed += evict(pickedDb, pickedKey);
            pickedDb = null;
            pickedKey = null;
            keysFreed++;
            if (keysFreed % TIME_CHECK_KEYS == 0 && nanoClock.getAsLong() - startNs > limitNs) {
                state(State.RUNNING);
                break;
            }
        }
        return metrics(state == State.RUNNING ? Result.RUNNING : Result.OK, nowMs);
    }

    private long evict(final Database db, final byte[] key) {
        final long before = db.usedMemory();
        db.delete(key);
        final long delta = before - db.usedMemory();
        keyspace.stats.evictedKeys++;
        db.signalModified(key);
        db.notify(Notify.EVICTED, "evicted", key);
        keyspace.events().keyEvicted(db, key, lazyEviction);
        return delta;
    }

    /** LRU, LFU and TTL: refill the pool from every database, then take its best live key. */
    private boolean pickFromPool(final EvictionPolicy p, final StorageSettings s, final long nowMs) {
        for (int round = 0; round < MAX_POOL_ROUNDS; round++) {
            long totalKeys = 0;
            for (int i = 0; i < keyspace.databases(); i++) {
                final Database db = keyspace.db(i);
                final int keys = p.allKeys() ? db.size() : db.expires().size();
                if (keys != 0) {
                    populate(p, s, i, db, nowMs);
                    totalKeys += keys;
                }
            }
            if (totalKeys == 0) {
                return false;
            }
            while (pool.used() > 0) {
                final byte[] key = pool.bestKey();
                final Database db = keyspace.db(pool.bestDb());
                pool.removeBest();
                final boolean live = p.allKeys() ? db.dict().find(key) != null : db.expires().find(key) != null;
                if (live) {
                    pickedDb = db;
                    pickedKey = key;
                    return true;
                }
            }
        }
        return false;
    }

    /** Redis's evictionPoolPopulate: sample one database and offer each sample to the pool. */
    private void populate(final EvictionPolicy p, final StorageSettings s, final int dbIndex, final Database db,
                          final long nowMs) {
        final int want = Math.max(1, Math.min(MAX_SAMPLES, s.maxmemorySamples));
        if (p.allKeys()) {
            final int n = db.dict().sample(samples, want, keyspace.random());
            for (int j = 0; j < n; j++) {
                final Entry e = samples[j];
                pool.offer(e.key, dbIndex, score(p, s, e, nowMs));
                samples[j] = null;
            }
            return;
        }
        final Dict<ExpireEntry> expires = db.expires();
        final int n = expires.sample(expireSamples, want, keyspace.random());
        for (int j = 0; j < n; j++) {
            final ExpireEntry x = expireSamples[j];
            expireSamples[j] = null;
            if (p.rank() == EvictionPolicy.Rank.TTL) {
                // the sooner the deadline the better: ULLONG_MAX - when, compared unsigned
                pool.offer(x.key, dbIndex, -1L - x.whenMs);
                continue;
            }
            final Entry e = db.dict().find(x.key);
            if (e != null) {
                pool.offer(e.key, dbIndex, score(p, s, e, nowMs));
            }
        }
    }

    /** Higher is a better candidate: idle milliseconds for LRU, 255 minus the counter for LFU. */
    private long score(final EvictionPolicy p, final StorageSettings s, final Entry e, final long nowMs) {
        if (p.rank() == EvictionPolicy.Rank.LFU) {
            return 255 - Lfu.decrAndReturn(e.lru, nowMs, s.lfuDecayTime);
        }
        return keyspace.idleSeconds(e) * 1000;
    }

    /** allkeys-random and volatile-random: a random key of the next non-empty database. */
    private boolean pickRandom(final EvictionPolicy p) {
        final int dbs = keyspace.databases();
        for (int i = 0; i < dbs; i++) {
            nextDb = (nextDb + 1) % dbs;
            final Database db = keyspace.db(nextDb);
            if (p.allKeys() ? db.size() > 0 : db.expires().size() > 0) {
                pickedKey = p.allKeys() ? db.dict().random(keyspace.random()).key
                    : db.expires().random(keyspace.random()).key;
                pickedDb = db;
                return true;
            }
        }
        return false;
    }

    /** Redis's update_metrics: opens or closes the period spent over the limit. */
    private Result metrics(final Result r, final long nowMs) {
        if (r == Result.OK) {
            if (exceededSinceMs >= 0) {
                totalExceededMs += Math.max(0, nowMs - exceededSinceMs);
                exceededSinceMs = -1;
            }
        } else if (exceededSinceMs < 0) {
            exceededSinceMs = nowMs;
        }
        return r;
    }
}
