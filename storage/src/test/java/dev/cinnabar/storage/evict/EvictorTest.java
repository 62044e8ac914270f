package dev.cinnabar.storage.evict;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;

/**
 * Each maxmemory policy under a small limit, on a fake clock. With maxmemory-samples at or above
 * the number of keys, sampling sees every key, so the LRU, LFU and TTL policies evict in exact
 * order and the tests can name the victims; the random policies are checked by what may go.
 */
class EvictorTest {
    private static final long T0 = 1_700_000_000_000L;
    private final Keyspace ks = new Keyspace(16);
    private final StorageSettings s = new StorageSettings();
    private final long[] nanos = {0};
    private final Evictor evictor = new Evictor(ks, ks::usedMemory, () -> nanos[0]);
    private final List<String> events = new ArrayList<>();
    private final List<String> propagated = new ArrayList<>();

    EvictorTest() {
        ks.settings(s);
        ks.nowMs(T0);
        s.maxmemorySamples = 64;
        ks.events(new KeyspaceEvents() {
            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                if (!event.equals("new")) {
                    events.add(event + " " + Bytes.string(key));
                }
            }

            @Override
            public void keyEvicted(final Database db, final byte[] key, final boolean lazy) {
                propagated.add((lazy ? "UNLINK " : "DEL ") + Bytes.string(key));
            }
        });
    }

    private Database db() {
        return ks.db(0);
    }

    private static byte[] key(final int i) {
        return ("key:" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Adds keys 0..n-1 with 100-byte values, one second apart, the first {@code ttl} with a TTL. */
    private void fill(final int n, final int withTtl) {
        for (int i = 0; i < n; i++) {
            db().add(key(i), new byte[100]);
            if (i < withTtl) {
                db().setExpire(key(i), T0 + 1_000_000 - i * 1000L);
            }
            ks.nowMs(ks.nowMs() + 1000);
        }
    }

    private boolean has(final int i) {
        return db().dict().find(key(i)) != null;
    }

    /** Sets maxmemory so that about {@code keep} of the 20 keys fit. */
    private void limitTo(final int keep, final int of) {
        final long used = ks.usedMemory();
        s.maxmemory = used - (used / of) * (of - keep);
    }

    @Test
    void noLimitOrUnderTheLimitIsOk() {
        fill(10, 0);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        s.maxmemory = ks.usedMemory();
        s.maxmemoryPolicy = "allkeys-lru";
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(ks.totalKeys()).isEqualTo(10);
    }

    @Test
    void noevictionFailsAndKeepsEverything() {
        fill(10, 0);
        s.maxmemory = 1;
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.FAIL);
        assertThat(ks.totalKeys()).isEqualTo(10);
        ks.nowMs(ks.nowMs() + 5000);
        assertThat(evictor.currentExceededTimeMs(ks.nowMs())).isEqualTo(5000);
        s.maxmemory = 0;
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(evictor.totalExceededTimeMs(ks.nowMs())).isEqualTo(5000);
        assertThat(evictor.currentExceededTimeMs(ks.nowMs())).isZero();
    }

    @Test
    void allkeysLruEvictsTheLeastRecentlyUsed() {
        s.maxmemoryPolicy = "allkeys-lru";
        fill(20, 0);
        // read the oldest five again: they become the most recent
        for (int i = 0; i < 5; i++) {
            db().lookupRead(key(i), 0, key(i).length);
        }
        limitTo(12, 20);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(ks.usedMemory()).isLessThanOrEqualTo(s.maxmemory);
        for (int i = 0; i < 5; i++) {
            assertThat(has(i)).as("recently read key:" + i).isTrue();
        }
        final long evicted = ks.stats.evictedKeys;
        assertThat(evicted).isBetween(8L, 9L);
        for (int i = 5; i < 5 + evicted; i++) {
            assertThat(has(i)).as("idle key:" + i).isFalse();
        }
        assertThat(events).contains("evicted key:5");
        assertThat(propagated).contains("DEL key:5");
    }

    @Test
    void allkeysLfuEvictsTheLeastFrequentlyUsed() {
        s.maxmemoryPolicy = "allkeys-lfu";
        s.lfuLogFactor = 0;
        fill(20, 0);
        // keys 10..19 get hit often; the counter then grows by one per access (log factor 0)
        for (int round = 0; round < 10; round++) {
            for (int i = 10; i < 20; i++) {
                db().lookupRead(key(i), 0, key(i).length);
            }
        }
        limitTo(12, 20);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        for (int i = 10; i < 20; i++) {
            assertThat(has(i)).as("hot key:" + i).isTrue();
        }
        assertThat(ks.stats.evictedKeys).isBetween(8L, 9L);
    }

    @Test
    void allkeysRandomEvictsUntilUnderTheLimit() {
        s.maxmemoryPolicy = "allkeys-random";
        fill(20, 0);
        ks.db(3).add(Bytes.ascii("other"), new byte[100]);
        limitTo(10, 21);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(ks.usedMemory()).isLessThanOrEqualTo(s.maxmemory);
        assertThat(ks.totalKeys()).isBetween(9L, 11L);
    }

    @Test
    void volatileLruTouchesOnlyKeysWithATtlAndThenFails() {
        s.maxmemoryPolicy = "volatile-lru";
        fill(20, 6);
        db().lookupRead(key(0), 0, key(0).length);
        s.maxmemory = 1;
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.FAIL);
        for (int i = 0; i < 6; i++) {
            assertThat(has(i)).isFalse();
        }
        assertThat(ks.totalKeys()).isEqualTo(14);
        // key:0 was read last, so it went last
        assertThat(events.get(events.size() - 1)).isEqualTo("evicted key:0");
    }

    @Test
    void volatileLfuAndRandomLeavePersistentKeys() {
        for (final String policy : new String[] {"volatile-lfu", "volatile-random"}) {
            ks.flushAll();
            s.maxmemoryPolicy = policy;
            fill(20, 6);
            limitTo(17, 20);
            assertThat(evictor.performEvictions(ks.nowMs())).as(policy).isEqualTo(Evictor.Result.OK);
            for (int i = 6; i < 20; i++) {
                assertThat(has(i)).as(policy + " persistent key:" + i).isTrue();
            }
            assertThat(ks.totalKeys()).as(policy).isBetween(16L, 17L);
        }
    }

    @Test
    void volatileTtlEvictsTheNearestDeadlineFirst() {
        s.maxmemoryPolicy = "volatile-ttl";
        // key:i expires at T0 + 1,000,000 - 1000 i: the higher i, the sooner
        fill(20, 10);
        limitTo(17, 20);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(has(9)).isFalse();
        assertThat(has(8)).isFalse();
        assertThat(has(0)).isTrue();
        assertThat(has(15)).isTrue();
    }

    @Test
    void aSpentTimeBudgetLeavesTheRestToDoWork() {
        s.maxmemoryPolicy = "allkeys-random";
        evictor.tenacity(0);
        fill(100, 0);
        limitTo(10, 100);
        nanos[0] = 1;
        // the clock moves 1 us per read: past the 0 us budget at the first check, after 16 keys
        final Evictor timed = new Evictor(ks, ks::usedMemory, () -> nanos[0] += 1000);
        timed.tenacity(0);
        assertThat(timed.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.RUNNING);
        assertThat(timed.running()).isTrue();
        assertThat(ks.stats.evictedKeys).isEqualTo(16);
        int turns = 0;
        while (timed.running() && turns < 100) {
            timed.doWork(ks.nowMs());
            turns++;
        }
        assertThat(timed.running()).isFalse();
        assertThat(turns).isBetween(5, 6);
        assertThat(ks.usedMemory()).isLessThanOrEqualTo(s.maxmemory);
        assertThat(timed.doWork(ks.nowMs())).isZero();
    }

    @Test
    void replicaIgnoresMaxmemoryUnlessTold() {
        s.maxmemoryPolicy = "allkeys-lru";
        fill(10, 0);
        s.maxmemory = 1;
        ks.replicaMode(true);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.OK);
        assertThat(ks.totalKeys()).isEqualTo(10);
        evictor.replicaIgnoreMaxmemory(false);
        evictor.lazyEviction(true);
        assertThat(evictor.performEvictions(ks.nowMs())).isEqualTo(Evictor.Result.FAIL);
        assertThat(ks.totalKeys()).isZero();
        assertThat(propagated).hasSize(10).allMatch(p -> p.startsWith("UNLINK "));
    }

    @Test
    void tenacityGivesRedisTimeLimits() {
        evictor.tenacity(10);
        assertThat(evictor.timeLimitUs()).isEqualTo(500);
        evictor.tenacity(20);
        assertThat(evictor.timeLimitUs()).isEqualTo((long) (500 * Math.pow(1.15, 10)));
        evictor.tenacity(100);
        assertThat(evictor.timeLimitUs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void poolKeepsTheBestSixteenInOrder() {
        final EvictionPool pool = new EvictionPool();
        for (int i = 0; i < 40; i++) {
            pool.offer(key(i), 0, (i * 7) % 40);
        }
        assertThat(pool.used()).isEqualTo(EvictionPool.SIZE);
        long last = Long.MAX_VALUE;
        int n = 0;
        while (pool.used() > 0) {
            final String k = Bytes.string(pool.bestKey());
            final int i = Integer.parseInt(k.substring(4));
            final long score = (i * 7L) % 40;
            assertThat(score).isLessThan(last).isGreaterThanOrEqualTo(24);
            last = score;
            pool.removeBest();
            n++;
        }
        assertThat(n).isEqualTo(16);
        pool.offer(key(1), 0, -1L);
        pool.offer(key(2), 0, 5);
        assertThat(Bytes.string(pool.bestKey())).isEqualTo("key:1");
    }
}
