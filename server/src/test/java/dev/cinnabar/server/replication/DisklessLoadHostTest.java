package dev.cinnabar.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.replication.Replication;
import dev.cinnabar.replication.replica.DisklessLoad;
import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

/**
 * The server's half of a diskless load, driven through {@link Replication}'s link callbacks on a
 * real server: the loading states the dispatcher and INFO show, the parse into a dataset apart
 * (on this test's thread, as on the loader thread) and the swap into the live keyspace with
 * WATCH signalled, or no change at all when the load failed.
 */
@Timeout(60)
class DisklessLoadHostTest {
    private static final String OTHER_ID = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private Server source;
    private Server server;
    private byte[] rdb;

    @BeforeEach
    void setUp() throws Exception {
        source = TestServers.start("--dir", dir.toString());
        try (RespTestClient c = new RespTestClient(source.boundPort())) {
            c.call("SET", "new:a", "1");
            c.call("SELECT", "3");
            c.call("RPUSH", "new:list", "x", "y");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
        }
        rdb = Files.readAllBytes(dir.resolve("dump.rdb"));
        server = TestServers.start("--dir", Files.createDirectory(dir.resolve("replica")).toString());
    }

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
        TestServers.stop(source);
    }

    private <T> T onLoop(final Callable<T> task) throws Exception {
        return server.net().keyspaceLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private Replication repl() {
        return server.replication().state();
    }

    private DisklessLoad.Parser begin(final String mode, final boolean sameHistory) throws Exception {
        return onLoop(() -> {
            server.replication().settings().disklessLoad = mode;
            return repl().beginDisklessLoad(sameHistory ? repl().ids().replid() : OTHER_ID, rdb.length);
        });
    }

    @Test
    void aSwapdbLoadServesLoadingThenSwapsTheParsedDatasetIn() throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort());
             RespTestClient w = new RespTestClient(server.boundPort())) {
            c.call("SET", "old", "1");
            w.call("WATCH", "old");
            w.call("MULTI");
            w.call("PING");
            final DisklessLoad.Parser parser = begin("swapdb", false);
            assertThat(c.call("GET", "old")).startsWith("-LOADING");
            assertThat(c.call("CONFIG", "GET", "repl-diskless-load")).as("flagged loading").startsWith("*2");
            assertThat(c.call("INFO", "persistence")).contains("loading:1\r\n", "async_loading:0\r\n",
                "loading_total_bytes:" + rdb.length + "\r\n");
            final Object parsed = parser.parse(new ByteArrayInputStream(rdb), rdb.length);
            assertThat(onLoop(() -> repl().endDisklessLoad(parsed, null, OTHER_ID, 77))).isTrue();
            assertThat(c.call("GET", "old")).isEqualTo("$-1\r\n");
            assertThat(c.call("GET", "new:a")).isEqualTo("$1\r\n1\r\n");
            c.call("SELECT", "3");
            assertThat(c.call("LRANGE", "new:list", "0", "-1")).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
            assertThat(w.call("EXEC")).as("a watched key of the old data changed").isEqualTo("*-1\r\n");
            assertThat(c.call("INFO", "persistence")).contains("loading:0\r\n", "rdb_last_load_keys_loaded:2\r\n");
            assertThat(c.call("INFO", "replication")).contains("master_replid:" + OTHER_ID + "\r\n",
                "master_repl_offset:77\r\n");
        }
    }

    @Test
    void aFailedLoadLeavesTheDatasetUntouched() throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "old", "1");
            final String ownId = repl().ids().replid();
            final DisklessLoad.Parser parser = begin("swapdb", false);
            final byte[] cut = java.util.Arrays.copyOf(rdb, rdb.length / 2);
            final IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> parser.parse(new ByteArrayInputStream(cut), rdb.length));
            assertThat(onLoop(() -> repl().endDisklessLoad(null, e.getMessage(), OTHER_ID, 77))).isFalse();
            assertThat(c.call("GET", "old")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
            assertThat(c.call("INFO", "persistence")).contains("loading:0\r\n", "async_loading:0\r\n");
            assertThat(repl().ids().replid()).isEqualTo(ownId);
        }
    }

    @Test
    void replicaServeStaleDataNoRefusesBeforeTheLoadingCheckAsRedisDoes() throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "old", "1");
            // a replica whose link is down (nothing listens on port 1)
            assertThat(c.call("REPLICAOF", "127.0.0.1", "1")).isEqualTo("+OK\r\n");
            begin("swapdb", true);
            assertThat(c.call("GET", "old")).as("stale data served during an async load").isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("CONFIG", "SET", "replica-serve-stale-data", "no")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "old")).startsWith("-MASTERDOWN");
            assertThat(onLoop(() -> repl().endDisklessLoad(null, null, OTHER_ID, 0))).isFalse();
            begin("swapdb", false);
            assertThat(c.call("GET", "old")).as("MASTERDOWN is checked before LOADING").startsWith("-MASTERDOWN");
            assertThat(c.call("INFO", "persistence")).contains("loading:1\r\n");
            assertThat(onLoop(() -> repl().endDisklessLoad(null, null, OTHER_ID, 0))).isFalse();
            assertThat(c.call("CONFIG", "SET", "replica-serve-stale-data", "yes")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "old")).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void aSwapdbLoadWithinTheSameHistoryKeepsServingTheOldData() throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "old", "1");
            try (RespTestClient t = new RespTestClient(server.boundPort())) {
                t.call("MULTI");
                assertThat(t.call("BGSAVE")).isEqualTo("+QUEUED\r\n");
                begin("swapdb", true);
                assertThat(t.call("EXEC")).as("an EXEC queuing a no_async_loading command")
                    .startsWith("-EXECABORT").contains("LOADING");
            }
            assertThat(c.call("GET", "old")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("INFO", "persistence")).contains("loading:0\r\n", "async_loading:1\r\n");
            assertThat(c.call("SAVE")).as("no_async_loading").startsWith("-LOADING");
            assertThat(onLoop(() -> repl().endDisklessLoad(null, null, OTHER_ID, 0))).isFalse();
            assertThat(c.call("INFO", "persistence")).contains("async_loading:0\r\n");
            assertThat(c.call("GET", "old")).isEqualTo("$1\r\n1\r\n");
        }
    }
}
