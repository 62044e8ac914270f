package dev.cinnabar.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbLoader;

/** SAVE, BGSAVE, save points, DEBUG RELOAD, SHUTDOWN, FLUSHALL, MISCONF and INFO on an in-JVM server. */
@Timeout(30)
class PersistenceTest {
    /** INFO persistence field names of a real Redis 7.0.15 with AOF off, in its order. */
    private static final List<String> REDIS_FIELDS = List.of("loading", "async_loading", "current_cow_peak",
        "current_cow_size", "current_cow_size_age", "current_fork_perc", "current_save_keys_processed",
        "current_save_keys_total", "rdb_changes_since_last_save", "rdb_bgsave_in_progress", "rdb_last_save_time",
        "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec", "rdb_current_bgsave_time_sec", "rdb_saves",
        "rdb_last_cow_size", "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded", "aof_enabled",
        "aof_rewrite_in_progress", "aof_rewrite_scheduled", "aof_last_rewrite_time_sec",
        "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
        "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_last_cow_size", "module_fork_in_progress",
        "module_fork_last_cow_size");

    @TempDir
    Path dir;

    private Server server;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    private Server start(final String... extra) throws Exception {
        final List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--enable-debug-command", "yes"));
        args.addAll(List.of(extra));
        server = TestServers.start(args.toArray(new String[0]));
        return server;
    }

    private static String info(final RespTestClient c, final String field) throws IOException {
        for (final String line : c.call("INFO", "persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + field);
    }

    private static void awaitInfo(final RespTestClient c, final String field, final String value) throws Exception {
        TestServers.await(() -> {
            try {
                return info(c, field).equals(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, 10_000);
    }

    private Keyspace loadDump() throws IOException {
        final Keyspace ks = new Keyspace(16);
        RdbLoader.load(dir.resolve("dump.rdb"), ks, System.currentTimeMillis(), true);
        return ks;
    }

    private List<String> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("temp-")).toList();
        }
    }

    @Test
    void saveWritesTheDatasetAtomicallyAndResetsTheCounters() throws Exception {
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.call("RPUSH", "l", "x", "y");
            c.call("SELECT", "3");
            c.call("SET", "b", "2", "PX", "100000");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("4");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(info(c, "rdb_saves")).isEqualTo("1");
            assertThat(c.call("LASTSAVE")).isEqualTo(":" + info(c, "rdb_last_save_time") + "\r\n");
        }
        final Keyspace ks = loadDump();
        assertThat(ks.db(0).size()).isEqualTo(2);
        assertThat(ks.db(3).size()).isEqualTo(1);
        assertThat(ks.db(3).expires().size()).isEqualTo(1);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void bgsaveRunsInTheBackgroundAndRefusesASecondSave() throws Exception {
        start("--rdb-key-save-delay", "1000");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            for (int i = 0; i < 300; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
            assertThat(c.call("BGSAVE", "NOW")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            assertThat(c.call("BGSAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(c.call("SAVE")).isEqualTo("-ERR Background save already in progress\r\n");
            assertThat(info(c, "rdb_bgsave_in_progress")).isEqualTo("1");
            assertThat(info(c, "current_save_keys_total")).isEqualTo("300");
            assertThat(c.call("SET", "during", "x")).isEqualTo("+OK\r\n");
            awaitInfo(c, "rdb_bgsave_in_progress", "0");
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("1");
            assertThat(info(c, "current_save_keys_total")).isEqualTo("0");
        }
        final Keyspace ks = loadDump();
        assertThat(ks.db(0).size()).isEqualTo(300);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void bgsaveInsideMultiIsScheduledAndStartedByTheCron() throws Exception {
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.call("MULTI");
            c.call("BGSAVE");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n+Background saving scheduled\r\n");
            TestServers.await(() -> Files.exists(dir.resolve("dump.rdb")), 5_000);
        }
        assertThat(loadDump().db(0).size()).isEqualTo(1);
    }

    @Test
    void aFailedBgsaveRefusesWritesWithMisconfUntilASaveSucceeds() throws Exception {
        final Path sub = Files.createDirectory(dir.resolve("sub"));
        server = TestServers.start("--dir", sub.toString(), "--save", "3600 1");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            Files.delete(sub);
            assertThat(c.call("BGSAVE")).isEqualTo("+Background saving started\r\n");
            awaitInfo(c, "rdb_last_bgsave_status", "err");
            final String misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
                + "persist to disk. Commands that may modify the data set are disabled, because this instance is "
                + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
                + "option). Please check the Redis logs for details about the RDB error.\r\n";
            assertThat(c.call("SET", "b", "2")).isEqualTo(misconf);
            assertThat(c.call("PING")).isEqualTo(misconf);
            assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("SAVE")).isEqualTo("-ERR\r\n");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "b", "2")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "b", "3")).isEqualTo(misconf);
            Files.createDirectory(sub);
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(c.call("SET", "b", "3")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aDueSavePointStartsABackgroundSave() throws Exception {
        start("--save", "1 2");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "1");
            awaitInfo(c, "rdb_saves", "1");
            awaitInfo(c, "rdb_bgsave_in_progress", "0");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
        }
        assertThat(loadDump().db(0).size()).isEqualTo(2);
    }

    @Test
    void debugReloadSavesAndLoadsBackAndMergeReplacesConflictingKeys() throws Exception {
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.call("SET", "t", "x", "PX", "100000");
            c.call("HSET", "h", "f", "v");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":3\r\n");
            assertThat(c.call("HGET", "h", "f")).isEqualTo("$1\r\nv\r\n");
            assertThat(Long.parseLong(c.call("PTTL", "t").trim().substring(1))).isPositive();
            assertThat(info(c, "rdb_last_load_keys_loaded")).isEqualTo("3");
            c.call("SET", "a", "changed");
            c.call("SET", "new", "n");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("GET", "new")).isEqualTo("$1\r\nn\r\n");
            assertThat(c.call("DEBUG", "RELOAD", "FAST")).isEqualTo(
                "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n");
        }
    }

    @Test
    void flushallWithSavePointsEmptiesTheDumpAtOnce() throws Exception {
        start("--save", "3600 1");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            assertThat(c.call("SAVE")).isEqualTo("+OK\r\n");
            assertThat(loadDump().db(0).size()).isEqualTo(1);
            assertThat(c.call("FLUSHALL")).isEqualTo("+OK\r\n");
        }
        assertThat(loadDump().totalKeys()).isZero();
    }

    @Test
    void shutdownSavesWhenSavePointsAreSetOrSaveIsGiven() throws Exception {
        start("--save", "3600 1");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.send("SHUTDOWN");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(loadDump().db(0).size()).isEqualTo(1);
        TestServers.stop(server);
        Files.delete(dir.resolve("dump.rdb"));

        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.send("SHUTDOWN", "NOSAVE");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(dir.resolve("dump.rdb")).doesNotExist();
        TestServers.stop(server);

        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "a", "1");
            c.send("SHUTDOWN", "SAVE");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(loadDump().db(0).size()).isEqualTo(1);
    }

    @Test
    void startupLoadsTheDumpAndRefusesACorruptOne() throws Exception {
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            c.call("SET", "a", "1");
            c.call("SET", "gone", "x", "PX", "1");
            final long setAt = System.currentTimeMillis();
            TestServers.await(() -> System.currentTimeMillis() > setAt + 5, 1_000);
            c.call("SAVE");
        }
        TestServers.stop(server);
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("GET", "a")).isEqualTo("$1\r\n1\r\n");
            assertThat(info(c, "rdb_last_load_keys_loaded")).isEqualTo("1");
            assertThat(info(c, "rdb_last_load_keys_expired")).isEqualTo("1");
        }
        TestServers.stop(server);
        server = null;
        final Path dump = dir.resolve("dump.rdb");
        final byte[] bytes = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(bytes, bytes.length - 12));
        assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("offset");
    }

    @Test
    void infoPersistenceListsRedisFieldsInOrder() throws Exception {
        start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            final List<String> names = new ArrayList<>();
            for (final String line : c.call("INFO", "persistence").split("\r\n")) {
                if (line.contains(":") && !line.startsWith("$") && !line.startsWith("=")) {
                    names.add(line.substring(0, line.indexOf(':')));
                }
            }
            assertThat(names).isEqualTo(REDIS_FIELDS);
        }
    }

    @Test
    void rdbKeySaveDelayIsHiddenAndDbfilenameIsAPlainName() throws Exception {
        start("--enable-protected-configs", "yes");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("CONFIG", "GET", "rdb-key-save-delay")).isEqualTo(
                "*2\r\n$18\r\nrdb-key-save-delay\r\n$1\r\n0\r\n");
            assertThat(c.call("CONFIG", "GET", "rdb-key*")).isEqualTo("*0\r\n");
            assertThat(c.call("CONFIG", "SET", "dbfilename", "a/b.rdb")).isEqualTo("-ERR CONFIG SET failed (possibly "
                + "related to argument 'dbfilename') - dbfilename can't be a path, just a filename\r\n");
        }
    }
}
