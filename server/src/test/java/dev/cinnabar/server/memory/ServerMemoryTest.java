package dev.cinnabar.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;
import dev.cinnabar.server.dispatch.Propagator;
import dev.cinnabar.server.net.ClientPause;

/** maxmemory wired into the server: the OOM check of processCommand, eviction effects, settings. */
@Timeout(30)
class ServerMemoryTest {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
    private static final String VALUE = "v".repeat(64);
    /** No time budget: one run evicts all it must, so a test sees the result in the next reply. */
    private static final String[] UNTIMED = {"--maxmemory-eviction-tenacity", "100"};

    private Server server;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    private <T> T onLoop(final Callable<T> task) throws Exception {
        return server.net().keyspaceLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private boolean onLoopQuietly(final Callable<Boolean> condition) {
        try {
            return onLoop(condition);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void onLoop(final Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    private static void fill(final RespTestClient c, final String prefix, final int n) throws IOException {
        for (int i = 0; i < n; i++) {
            c.send("SET", prefix + i, VALUE);
        }
        for (int i = 0; i < n; i++) {
            assertThat(c.read()).isEqualTo("+OK\r\n");
        }
    }

    private static long infoLong(final RespTestClient c, final String section, final String field) throws IOException {
        return Long.parseLong(info(c, section, field));
    }

    private static String info(final RespTestClient c, final String section, final String field) throws IOException {
        for (final String line : c.call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    /** Records what the server propagates, as "DEL key" lines. */
    private List<String> recordPropagation() throws Exception {
        final List<String> sent = new ArrayList<>();
        final Propagator.Sink sink = (db, argv) -> {
            final StringBuilder sb = new StringBuilder();
            for (final byte[] a : argv) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, java.nio.charset.StandardCharsets.UTF_8));
            }
            synchronized (sent) {
                sent.add(sb.toString());
            }
        };
        onLoop(() -> server.propagator().addSink(sink));
        return sent;
    }

    @Test
    void noevictionRefusesDenyoomCommandsWithRedisErrorButServesReadsAndDeletes() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            fill(c, "k", 200);
            final long used = infoLong(c, "memory", "used_memory");
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(used - 1000))).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "new", "v")).isEqualTo(OOM);
            assertThat(c.call("APPEND", "k1", "more")).isEqualTo(OOM);
            assertThat(c.call("GET", "k1")).isEqualTo("$64\r\n" + VALUE + "\r\n");
            assertThat(c.call("DEL", "k1")).isEqualTo(":1\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":199\r\n");
            assertThat(infoLong(c, "stats", "evicted_keys")).isZero();
            assertThat(info(c, "errorstats", "errorstat_OOM")).isEqualTo("count=2");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "new", "v")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void transactionsUnderOomFollowRedisQueueingRules() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort());
             RespTestClient admin = new RespTestClient(server.boundPort())) {
            fill(c, "k", 100);
            final String limit = Long.toString(infoLong(c, "memory", "used_memory") - 500);

            // queued before the limit: EXEC of a denyoom command aborts, EXEC of reads runs
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "a", "b")).isEqualTo("+QUEUED\r\n");
            assertThat(admin.call("CONFIG", "SET", "maxmemory", limit)).isEqualTo("+OK\r\n");
            assertThat(c.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of: "
                + OOM.substring(1));
            assertThat(admin.call("CONFIG", "SET", "maxmemory", "0")).isEqualTo("+OK\r\n");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k1")).isEqualTo("+QUEUED\r\n");
            assertThat(admin.call("CONFIG", "SET", "maxmemory", limit)).isEqualTo("+OK\r\n");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n$64\r\n" + VALUE + "\r\n");

            // over the limit: MULTI itself runs, then anything queued is refused, DISCARD and RESET are not
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k1")).isEqualTo(OOM);
            assertThat(c.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("DISCARD")).isEqualTo("+OK\r\n");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void configSetMaxmemoryTakesUnits() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "1mb")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo("*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n");
            assertThat(info(c, "memory", "maxmemory")).isEqualTo("1048576");
            assertThat(info(c, "memory", "maxmemory_human")).isEqualTo("1.00M");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "1.5mb")).startsWith("-ERR CONFIG SET failed");
            assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")).isEqualTo("+OK\r\n");
            assertThat(info(c, "memory", "maxmemory_policy")).isEqualTo("allkeys-lru");
            assertThat(info(c, "memory", "mem_not_counted_for_evict")).isEqualTo("0");
        }
    }

    /** As Redis 7.0's updateMaxmemory: no eviction inside the transaction, then the time proc evicts. */
    @Test
    void configSetMaxmemoryEvictsRightAfterItsLoopTurn() throws Exception {
        server = TestServers.start("--maxmemory-policy", "allkeys-lru", UNTIMED[0], UNTIMED[1]);
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            fill(c, "k", 400);
            final long limit = infoLong(c, "memory", "used_memory") / 2;
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("EXEC")).isEqualTo("*2\r\n+OK\r\n:400\r\n");
            // no further command: the time proc alone brings memory under the limit
            TestServers.await(() -> onLoopQuietly(() -> server.memory().usedMemory() <= limit), 10_000);
            assertThat(onLoop(() -> server.keyspace().stats.evictedKeys)).isPositive();
        }
    }

    @Test
    void evictedKeysAreDeletedCountedNotifiedAndPropagatedAsDel() throws Exception {
        server = TestServers.start("--notify-keyspace-events", "Ee", "--maxmemory-policy", "allkeys-random",
            UNTIMED[0], UNTIMED[1]);
        final List<String> propagated = recordPropagation();
        try (RespTestClient c = new RespTestClient(server.boundPort());
             RespTestClient sub = new RespTestClient(server.boundPort())) {
            assertThat(sub.call("SUBSCRIBE", "__keyevent@0__:evicted")).startsWith("*3\r\n$9\r\nsubscribe\r\n");
            fill(c, "k", 300);
            final long limit = infoLong(c, "memory", "used_memory") * 3 / 4;
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo("+OK\r\n");
            final long evicted = infoLong(c, "stats", "evicted_keys");
            assertThat(evicted).isPositive();
            assertThat(c.call("DBSIZE")).isEqualTo(":" + (300 - evicted) + "\r\n");
            final String message = sub.read();
            assertThat(message).startsWith("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$");
            final String key = message.substring(message.lastIndexOf("\r\n", message.length() - 3) + 2,
                message.length() - 2);
            assertThat(c.call("EXISTS", key)).isEqualTo(":0\r\n");
            synchronized (propagated) {
                assertThat(propagated.stream().filter(s -> s.startsWith("DEL k")).count()).isEqualTo(evicted);
                assertThat(propagated).contains("DEL " + key);
            }
        }
    }

    @Test
    void lazyEvictionPropagatesUnlink() throws Exception {
        server = TestServers.start("--lazyfree-lazy-eviction", "yes", "--maxmemory-policy", "allkeys-lru",
            UNTIMED[0], UNTIMED[1]);
        final List<String> propagated = recordPropagation();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            fill(c, "k", 100);
            final long limit = infoLong(c, "memory", "used_memory") / 2;
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isNotEqualTo(":100\r\n");
            synchronized (propagated) {
                assertThat(propagated).anyMatch(s -> s.startsWith("UNLINK k")).noneMatch(s -> s.startsWith("DEL "));
            }
        }
    }

    /** Tenacity 0 gives each run no time: it evicts 16 keys, then the time proc finishes the job. */
    @Test
    void timeProcFinishesWhatATimeLimitedRunLeft() throws Exception {
        server = TestServers.start("--maxmemory-eviction-tenacity", "0", "--maxmemory-policy", "allkeys-random");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            fill(c, "k", 500);
            final long limit = infoLong(c, "memory", "used_memory") / 4;
            assertThat(c.call("CONFIG", "SET", "maxmemory", Long.toString(limit))).isEqualTo("+OK\r\n");
            TestServers.await(() -> onLoopQuietly(
                () -> server.memory().usedMemory() <= limit && !server.memory().evictor().running()), 10_000);
            assertThat(onLoop(() -> server.keyspace().stats.evictedKeys)).isGreaterThan(16);
        }
    }

    /** A server under allkeys-random holding 100 keys; returns half their memory, as a limit to set. */
    private RespTestClient startHalfFull() throws Exception {
        server = TestServers.start("--maxmemory-policy", "allkeys-random", UNTIMED[0], UNTIMED[1]);
        final RespTestClient c = new RespTestClient(server.boundPort());
        fill(c, "k", 100);
        return c;
    }

    private static String halfOfUsed(final RespTestClient c) throws IOException {
        return Long.toString(infoLong(c, "memory", "used_memory") / 2);
    }

    @Test
    void replicaLeavesEvictionToItsMasterUnlessToldOtherwise() throws Exception {
        try (RespTestClient c = startHalfFull()) {
            final String limit = halfOfUsed(c);
            onLoop(() -> server.keyspace().replicaMode(true));
            assertThat(c.call("CONFIG", "SET", "maxmemory", limit)).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":100\r\n");
            assertThat(c.call("CONFIG", "SET", "replica-ignore-maxmemory", "no")).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isNotEqualTo(":100\r\n");
            assertThat(infoLong(c, "stats", "evicted_keys")).isPositive();
        }
    }

    @Test
    void pausedClientsFreezeEviction() throws Exception {
        try (RespTestClient c = startHalfFull()) {
            final String limit = halfOfUsed(c);
            onLoop(() -> server.pause().pause(ClientPause.Mode.WRITE, server.clock() + 60_000));
            assertThat(c.call("CONFIG", "SET", "maxmemory", limit)).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":100\r\n");
            assertThat(c.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isNotEqualTo(":100\r\n");
        }
    }

    @Test
    void resetstatClearsEvictionCounters() throws Exception {
        try (RespTestClient c = startHalfFull()) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", halfOfUsed(c))).isEqualTo("+OK\r\n");
            assertThat(infoLong(c, "stats", "evicted_keys")).isPositive();
            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
            assertThat(infoLong(c, "stats", "evicted_keys")).isZero();
            assertThat(infoLong(c, "stats", "total_eviction_exceeded_time")).isZero();
        }
    }
}
