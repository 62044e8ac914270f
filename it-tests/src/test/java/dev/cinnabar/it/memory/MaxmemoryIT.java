package dev.cinnabar.it.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * maxmemory end to end, as Redis 7.0 behaves: each policy, filled past its limit or given a limit
 * below its data, keeps what Redis would keep, noeviction refuses writes with Redis's exact OOM bytes, evictions are notified and
 * reach a replica as DELs. Limits are set relative to the used_memory a node reports (its empty
 * figure plus a share of what the test data added), so the same test holds on Cinnabar and on a
 * real redis-server ({@code -Dcinnabar.it.target=redis}). Sampled policies are checked with wide
 * margins: the approximations are statistical, the margins are not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class MaxmemoryIT {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
    private static final String VALUE = "x".repeat(100);
    /** One eviction run evicts all it must, so a test sees the result in the next reply. */
    private static final String[] UNTIMED = {"--maxmemory-eviction-tenacity", "100"};
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final int BATCH = 500;

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (final NodeProcess n : nodes) {
            n.close();
        }
    }

    private NodeProcess underTest(final String... args) {
        final NodeProcess n = ServerProcess.startUnderTest(args);
        nodes.add(n);
        return n;
    }

    private NodeProcess cinnabar(final String... args) {
        final NodeProcess n = ServerProcess.start(args);
        nodes.add(n);
        return n;
    }

    private static Jedis jedis(final NodeProcess n) {
        return new Jedis("127.0.0.1", n.port(), DefaultJedisClientConfig.builder().socketTimeoutMillis(20_000).build());
    }

    private static long info(final Jedis j, final String section, final String field) {
        for (final String line : j.info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    /**
     * SETs keys {@code prefix0..prefix(n-1)}, with a TTL when {@code ttlSeconds} is not null, pipelined
     * in batches (so client buffers stay small next to the data); returns how many were refused.
     */
    private static int fill(final Jedis j, final String prefix, final int n, final long[] ttlSeconds) {
        int refused = 0;
        for (int from = 0; from < n; from += BATCH) {
            final Pipeline p = j.pipelined();
            final List<Response<String>> replies = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                replies.add(ttlSeconds == null ? p.set(prefix + i, VALUE)
                    : p.set(prefix + i, VALUE, SetParams.setParams().ex(ttlSeconds[i])));
            }
            p.sync();
            for (final Response<String> r : replies) {
                try {
                    r.get();
                } catch (RuntimeException e) {
                    refused++;
                }
            }
        }
        return refused;
    }

    /** Reads the hot keys {@code prefix0..prefix(hot-1)} {@code rounds} times. */
    private static void touch(final Jedis j, final String prefix, final int hot, final int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int from = 0; from < hot; from += BATCH) {
                final Pipeline p = j.pipelined();
                for (int i = from; i < Math.min(hot, from + BATCH); i++) {
                    p.get(prefix + i);
                }
                p.sync();
            }
        }
    }

    /** Which of {@code prefix0..prefix(n-1)} exist. */
    private static boolean[] existing(final Jedis j, final String prefix, final int n) {
        final boolean[] out = new boolean[n];
        for (int from = 0; from < n; from += BATCH) {
            final Pipeline p = j.pipelined();
            final List<Response<Boolean>> replies = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                replies.add(p.exists(prefix + i));
            }
            p.sync();
            for (int i = 0; i < replies.size(); i++) {
                out[from + i] = replies.get(i).get();
            }
        }
        return out;
    }

    private static int count(final boolean[] b, final int from, final int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += b[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * The used_memory of the empty node plus {@code share} of what {@code load} adds to it: the
     * load is run once to measure, then flushed.
     */
    private static long limitFor(final Jedis j, final double share, final Runnable load) {
        final long empty = info(j, "memory", "used_memory");
        load.run();
        final long full = info(j, "memory", "used_memory");
        j.flushAll();
        return empty + (long) ((full - empty) * share);
    }

    @Test
    void noevictionRepliesMatchRealRedisByteForByte() {
        RealRedis.assumeInstalled();
        final List<String> ours = script(cinnabar());
        final RealRedis real = RealRedis.start();
        nodes.add(real);
        final List<String> redis = script(real);
        assertThat(ours).isEqualTo(redis);
        assertThat(ours.get(2)).isEqualTo(OOM);
    }

    /** Used memory is far over a 1-byte limit on either server, so every denyoom command is refused. */
    private static List<String> script(final NodeProcess n) {
        final List<String> replies = new ArrayList<>();
        try (RespClient c = n.client()) {
            final String[][] commands = {
                {"SET", "k", "v"}, {"CONFIG", "SET", "maxmemory", "1"}, {"SET", "k2", "v"}, {"GET", "k"},
                {"APPEND", "k", "more"}, {"INCR", "n"}, {"EXISTS", "k"}, {"MULTI"}, {"GET", "k"}, {"EXEC"},
                {"DEL", "k"}, {"SET", "k", "v"}, {"CONFIG", "GET", "maxmemory"}, {"CONFIG", "SET", "maxmemory", "0"},
                {"SET", "k", "v"}, {"CONFIG", "SET", "maxmemory", "100mb"}, {"CONFIG", "GET", "maxmemory"},
                {"CONFIG", "SET", "maxmemory", "0"}, {"CONFIG", "SET", "maxmemory-policy", "lru"},
                {"CONFIG", "SET", "maxmemory-samples", "0"}, {"CONFIG", "SET", "maxmemory-eviction-tenacity", "101"},
                {"CONFIG", "GET", "maxmemory-policy"}, {"OBJECT", "FREQ", "k"},
                {"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}, {"SET", "f", "v"}, {"OBJECT", "FREQ", "f"},
                {"OBJECT", "IDLETIME", "f"}, {"OBJECT", "FREQ", "nosuch"},
                {"CONFIG", "SET", "lfu-log-factor", "-1"}, {"CONFIG", "GET", "lfu-decay-time"},
            };
            for (final String[] cmd : commands) {
                replies.add(new String(c.call(cmd), StandardCharsets.ISO_8859_1));
            }
        }
        return replies;
    }

    /**
     * Stops eviction so the survivors can be read: any command may evict while memory is over the
     * limit (on Redis, client buffers come and go), CONFIG SET maxmemory 0 ends that.
     */
    private static void freeze(final Jedis j) {
        j.configSet("maxmemory", "0");
    }

    @Test
    void allkeysRandomStaysUnderTheLimitWhileWritesGoOn() {
        final NodeProcess n = underTest("--maxmemory-policy", "allkeys-random", UNTIMED[0], UNTIMED[1]);
        final int keys = 4000;
        try (Jedis j = jedis(n)) {
            final long limit = limitFor(j, 0.5, () -> fill(j, "k", keys, null));
            j.configSet("maxmemory", Long.toString(limit));
            assertThat(fill(j, "k", keys, null)).isZero();
            assertThat(info(j, "memory", "used_memory")).isLessThanOrEqualTo(limit + limit / 20);
            freeze(j);
            final long kept = j.dbSize();
            assertThat(kept).isBetween(keys / 10L, keys * 9L / 10);
            assertThat(info(j, "stats", "evicted_keys")).isEqualTo(keys - kept);
        }
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithATtl() {
        final int persistent = 1000;
        final int volatileKeys = 3000;
        final long[] ttls = new long[volatileKeys];
        Arrays.fill(ttls, 3600);
        final NodeProcess n = underTest(UNTIMED);
        try (Jedis j = jedis(n)) {
            for (final String policy : List.of("volatile-random", "volatile-lru", "volatile-lfu")) {
                j.configSet("maxmemory", "0");
                j.configSet("maxmemory-policy", policy);
                j.flushAll();
                j.configResetStat();
                final long limit = limitFor(j, 0.6, () -> {
                    fill(j, "p", persistent, null);
                    fill(j, "t", volatileKeys, ttls);
                });
                j.configSet("maxmemory", Long.toString(limit));
                assertThat(fill(j, "p", persistent, null)).as(policy).isZero();
                assertThat(fill(j, "t", volatileKeys, ttls)).as(policy).isZero();
                assertThat(count(existing(j, "p", persistent), 0, persistent)).as(policy).isEqualTo(persistent);
                final int ttlKept = count(existing(j, "t", volatileKeys), 0, volatileKeys);
                assertThat(ttlKept).as(policy).isLessThan(volatileKeys * 9 / 10);

                // with no key left that has a TTL, nothing can be evicted: writes are refused
                j.configSet("maxmemory", "1");
                assertThat(j.dbSize()).as(policy).isEqualTo(persistent);
                try (RespClient c = n.client()) {
                    assertThat(new String(c.call("SET", "p0", "v"), StandardCharsets.ISO_8859_1)).isEqualTo(OOM);
                }
                assertThat(info(j, "stats", "evicted_keys")).as(policy).isEqualTo(volatileKeys);
            }
        }
    }

    @Test
    void volatileTtlEvictsTheNearestDeadlinesFirst() {
        final NodeProcess n = underTest("--maxmemory-policy", "volatile-ttl", UNTIMED[0], UNTIMED[1]);
        final int keys = 4000;
        final long[] ttls = new long[keys];
        final Random random = new Random(3);
        for (int i = 0; i < keys; i++) {
            ttls[i] = 10_000 + i * 10L;
        }
        for (int i = keys - 1; i > 0; i--) {
            final int k = random.nextInt(i + 1);
            final long t = ttls[i];
            ttls[i] = ttls[k];
            ttls[k] = t;
        }
        try (Jedis j = jedis(n)) {
            final long limit = limitFor(j, 0.5, () -> fill(j, "t", keys, ttls));
            fill(j, "t", keys, ttls);
            j.configSet("maxmemory", Long.toString(limit));
            freeze(j);
            final boolean[] kept = existing(j, "t", keys);
            int shortKept = 0;
            int longKept = 0;
            for (int i = 0; i < keys; i++) {
                // rank of the deadline: 0 is the nearest
                final long rank = (ttls[i] - 10_000) / 10;
                if (kept[i] && rank < keys / 4) {
                    shortKept++;
                } else if (kept[i] && rank >= keys * 3 / 4) {
                    longKept++;
                }
            }
            final String stats = "kept " + count(kept, 0, keys) + ", of the nearest quarter " + shortKept
                + ", of the farthest quarter " + longKept;
            assertThat(count(kept, 0, keys)).as(stats).isBetween(keys / 10, keys * 9 / 10);
            // evicting at random would keep about as many of each quarter as of the whole
            assertThat(shortKept).as(stats).isLessThan(keys / 4 / 5);
            assertThat(longKept).as(stats).isGreaterThan(keys / 4 * 4 / 5);
        }
    }

    private static final int KEYS = 4000;
    private static final int HOT = 1000;

    @Test
    void allkeysLruKeepsRecentlyTouchedKeys() {
        hotKeysSurvive("allkeys-lru", j -> {
            // the LRU clock counts seconds: let the cold keys age before the hot ones are read
            Await.pause(Duration.ofMillis(2200));
            touch(j, "k", HOT, 1);
        });
    }

    @Test
    void allkeysLfuKeepsFrequentlyReadKeys() {
        hotKeysSurvive("allkeys-lfu", j -> {
            touch(j, "k", HOT, 5);
            assertThat(j.objectFreq("k0")).isGreaterThan(5L);
        });
    }

    /**
     * Fills KEYS keys, lets {@code touch} make the first HOT of them hot, shrinks memory to 60% of
     * what the keys take, and checks that hot keys survived far better than cold ones, with a wide
     * margin (the sampled approximation is statistical; real Redis keeps every hot key here).
     */
    private void hotKeysSurvive(final String policy, final Consumer<Jedis> touch) {
        final NodeProcess n = underTest("--maxmemory-policy", policy, UNTIMED[0], UNTIMED[1]);
        try (Jedis j = jedis(n)) {
            final long limit = limitFor(j, 0.6, () -> fill(j, "k", KEYS, null));
            fill(j, "k", KEYS, null);
            touch.accept(j);
            j.configSet("maxmemory", Long.toString(limit));
            freeze(j);
            final boolean[] kept = existing(j, "k", KEYS);
            final int hotKept = count(kept, 0, HOT);
            final int coldKept = count(kept, HOT, KEYS);
            final double coldRate = (double) coldKept / (KEYS - HOT);
            final String stats = "hot kept " + hotKept + "/" + HOT + ", cold kept " + coldKept + "/" + (KEYS - HOT);
            assertThat(coldKept).as(stats).isLessThan((KEYS - HOT) * 9 / 10);
            assertThat((double) hotKept / HOT).as(stats).isGreaterThan(0.7).isGreaterThan(coldRate * 1.5);
        }
    }

    @Test
    void evictedNotificationsReachASubscriber() {
        final NodeProcess n = underTest("--maxmemory-policy", "allkeys-random", "--notify-keyspace-events", "Ee",
            UNTIMED[0], UNTIMED[1]);
        try (Jedis j = jedis(n); RespClient sub = n.client()) {
            final long limit = limitFor(j, 0.5, () -> fill(j, "k", 2000, null));
            assertThat(new String(sub.call("SUBSCRIBE", "__keyevent@0__:evicted"), StandardCharsets.ISO_8859_1))
                .isEqualTo("*3\r\n$9\r\nsubscribe\r\n$22\r\n__keyevent@0__:evicted\r\n:1\r\n");
            j.configSet("maxmemory", Long.toString(limit));
            fill(j, "k", 2000, null);
            freeze(j);
            final long evicted = info(j, "stats", "evicted_keys");
            assertThat(evicted).isPositive();
            final Set<String> notified = new HashSet<>();
            for (long i = 0; i < evicted; i++) {
                final byte[] reply = sub.pollReply(Duration.ofSeconds(5));
                assertThat(reply).as("notification %d of %d", i + 1, evicted).isNotNull();
                final String text = new String(reply, StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$");
                notified.add(text.substring(text.lastIndexOf("\r\n", text.length() - 3) + 2, text.length() - 2));
            }
            assertThat(notified).hasSize((int) evicted);
            assertThat(j.exists(notified.toArray(new String[0]))).isZero();
        }
    }

    @Test
    void replicaAppliesTheMastersEvictionsAndEvictsNothingItself() {
        final NodeProcess master = cinnabar("--maxmemory-policy", "allkeys-random", "--repl-backlog-size", "16384",
            "--repl-diskless-sync-delay", "0", UNTIMED[0], UNTIMED[1]);
        // a replica with a limit it is far over: replica-ignore-maxmemory (the default) leaves eviction to the master
        final NodeProcess replica = cinnabar("--replicaof", "127.0.0.1", Integer.toString(master.port()),
            "--maxmemory", "1", "--maxmemory-policy", "allkeys-random");
        try (Jedis m = jedis(master); Jedis r = jedis(replica)) {
            Await.until("link up", () -> r.info("replication").contains("master_link_status:up"), SYNC_TIMEOUT);
            final long limit = limitFor(m, 0.5, () -> fill(m, "k", 2000, null));
            m.configSet("maxmemory", Long.toString(limit));
            assertThat(fill(m, "k", 2000, null)).isZero();
            freeze(m);
            final long evicted = info(m, "stats", "evicted_keys");
            assertThat(evicted).isPositive();
            final long offset = info(m, "replication", "master_repl_offset");
            Await.until("replica at offset " + offset, () -> info(r, "replication", "slave_repl_offset") >= offset,
                SYNC_TIMEOUT);
            assertThat(new HashSet<>(r.keys("*"))).isEqualTo(new HashSet<>(m.keys("*")));
            assertThat(r.dbSize()).isEqualTo(2000 - evicted);
            assertThat(info(r, "stats", "evicted_keys")).isZero();
        }
    }
}
