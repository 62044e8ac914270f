package dev.cinnabar.it.persistence;

import static dev.cinnabar.it.replication.Replicas.dataset;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeEveryType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * dump.rdb end to end: a restarted Cinnabar finds its data (after SHUTDOWN and after SIGTERM),
 * files move both ways between Cinnabar and a real redis-server with identical contents, a BGSAVE
 * taken while a client hammers writes holds exactly the data of its start instant, and a corrupt
 * file stops the start-up with the problem named.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class PersistenceIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);
    /** Writes sent at once while a BGSAVE runs. */
    private static final int BATCH = 64;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(NodeProcess::close);
    }

    private NodeProcess cinnabar(final Path dir) {
        return cinnabar(dir, new String[0]);
    }

    private NodeProcess cinnabar(final Path dir, final String... extra) {
        final List<String> args = new ArrayList<>(List.of("--dir", dir.toAbsolutePath().toString()));
        args.addAll(List.of(extra));
        final NodeProcess n = ServerProcess.start(args.toArray(new String[0]));
        nodes.add(n);
        return n;
    }

    private NodeProcess redis(final Path dir) {
        final NodeProcess n = RealRedis.start("--dir", dir.toAbsolutePath().toString());
        nodes.add(n);
        return n;
    }

    private static void shutdown(final NodeProcess n, final String... how) {
        try (RespClient c = n.client()) {
            final List<String> argv = new ArrayList<>(List.of("SHUTDOWN"));
            argv.addAll(List.of(how));
            c.write(RespClient.encode(RespClient.argv(argv.toArray(new String[0]))));
            assertThat(c.closedByPeer(EXIT_TIMEOUT)).isTrue();
        }
        Await.until(n + " exited", () -> !n.alive(), EXIT_TIMEOUT);
    }

    private static String call(final NodeProcess n, final String... argv) {
        try (RespClient c = n.client()) {
            return c.text(argv);
        }
    }

    @Test
    void restartedServerFindsItsDataAfterShutdownAndAfterSigterm() {
        final Path dir = NodeProcess.newDirectory("persist-restart");
        final NodeProcess first = cinnabar(dir, "--save", "3600 1");
        try (Jedis j = jedis(first)) {
            writeEveryType(j, "p:");
        }
        final Map<String, String> expected = dataset(first);
        shutdown(first);

        final NodeProcess second = cinnabar(dir, "--save", "3600 1");
        assertThat(dataset(second)).isEqualTo(expected);
        assertThat(info(second, "persistence", "rdb_last_load_keys_loaded")).isEqualTo(Integer.toString(
            expected.size()));
        assertThat(call(second, "SET", "added-later", "1")).isEqualTo("+OK\r\n");
        final Map<String, String> expectedAfter = dataset(second);
        second.close();

        final NodeProcess third = cinnabar(dir);
        assertThat(dataset(third)).isEqualTo(expectedAfter);
        assertThat(third.log()).contains("Done loading RDB, keys loaded: " + expectedAfter.size());
    }

    @Test
    void cinnabarDumpLoadsInRealRedisWithIdenticalContents() throws IOException {
        RealRedis.assumeInstalled();
        dumpMovesWithIdenticalContents(cinnabar(NodeProcess.newDirectory("persist-cin")), "c:", this::redis);
    }

    @Test
    void realRedisDumpLoadsInCinnabarWithIdenticalContents() throws IOException {
        RealRedis.assumeInstalled();
        dumpMovesWithIdenticalContents(redis(NodeProcess.newDirectory("persist-redis")), "r:", this::cinnabar);
    }

    /** Every type written on {@code from}, SAVE, its dump.rdb started on by {@code to}: the same dataset. */
    private static void dumpMovesWithIdenticalContents(final NodeProcess from, final String prefix,
                                                       final Function<Path, NodeProcess> to) throws IOException {
        try (Jedis j = jedis(from)) {
            writeEveryType(j, prefix);
        }
        assertThat(call(from, "SAVE")).isEqualTo("+OK\r\n");
        final Map<String, String> expected = dataset(from);
        final Path target = NodeProcess.newDirectory("persist-load");
        Files.copy(dirOf(from).resolve("dump.rdb"), target.resolve("dump.rdb"));
        final NodeProcess loaded = to.apply(target);
        assertThat(dataset(loaded)).isEqualTo(expected);
        assertThat(loaded.log()).contains("Done loading RDB");
    }

    /**
     * The model is the dataset read just before BGSAVE; while the save runs (slowed by
     * rdb-key-save-delay) a client overwrites, deletes, expires and adds keys at random across the
     * whole keyspace, so it changes keys both before and after the cursor. The file, loaded in a
     * fresh server, must equal the model exactly.
     */
    @Test
    void bgsaveUnderWritesHoldsTheDataOfItsStartInstant() throws IOException {
        final int keys = 8_000;
        final NodeProcess cin = cinnabar(NodeProcess.newDirectory("persist-bgsave"), "--rdb-key-save-delay", "150");
        try (Jedis j = jedis(cin)) {
            final Pipeline p = j.pipelined();
            for (int i = 0; i < keys; i++) {
                switch (i % 4) {
                    case 0 -> p.set("s:" + i, "value-" + i);
                    case 1 -> p.rpush("l:" + i, "a" + i, "b", "c");
                    case 2 -> p.hset("h:" + i, Map.of("f", "v" + i, "g", "w"));
                    default -> p.setex("t:" + i, 3600, "ttl-" + i);
                }
            }
            p.sync();
        }
        final Map<String, String> model = dataset(cin);
        assertThat(model).hasSize(keys);

        long writesDuringSave = 0;
        try (RespClient c = cin.client()) {
            assertThat(c.text("BGSAVE")).isEqualTo("+Background saving started\r\n");
            final SplittableRandom rnd = new SplittableRandom(42);
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int batch = 0; batch < 2_000 && System.nanoTime() < deadline; batch++) {
                if ("0".equals(info(cin, "persistence", "rdb_bgsave_in_progress"))) {
                    break;
                }
                final ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (int k = 0; k < BATCH; k++) {
                    pipeline.writeBytes(RespClient.encode(RespClient.argv(randomWrite(rnd, keys, batch * BATCH + k))));
                }
                c.write(pipeline.toByteArray());
                for (int k = 0; k < BATCH; k++) {
                    assertThat(RespClient.printable(c.readReply())).doesNotStartWith("-");
                }
                writesDuringSave += BATCH;
            }
        }
        Await.until("BGSAVE to finish", () -> "0".equals(info(cin, "persistence", "rdb_bgsave_in_progress")),
            Duration.ofSeconds(20));
        assertThat(info(cin, "persistence", "rdb_last_bgsave_status")).isEqualTo("ok");
        assertThat(writesDuringSave).as("writes while the save ran").isGreaterThanOrEqualTo(1_000);

        final Path loadDir = NodeProcess.newDirectory("persist-bgsave-load");
        Files.copy(dirOf(cin).resolve("dump.rdb"), loadDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        final NodeProcess loaded = cinnabar(loadDir);
        assertThat(dataset(loaded)).isEqualTo(model);
    }

    @Test
    void whileItsDumpLoadsTheServerAnswersLoadingAndReportsProgress() {
        final Path dir = NodeProcess.newDirectory("persist-loading");
        final NodeProcess first = cinnabar(dir);
        try (Jedis j = jedis(first)) {
            final Pipeline p = j.pipelined();
            for (int i = 0; i < 3000; i++) {
                p.set("k:" + i, "v" + i);
            }
            p.sync();
        }
        shutdown(first, "SAVE");

        // 1 ms a key: a 3 s load to watch
        final NodeProcess loading = ServerProcess.startLoading("--dir", dir.toAbsolutePath().toString(),
            "--key-load-delay", "1000");
        nodes.add(loading);
        assertThat(call(loading, "GET", "k:1")).isEqualTo("-LOADING Redis is loading the dataset in memory\r\n");
        assertThat(call(loading, "PING")).startsWith("-LOADING");
        assertThat(info(loading, "persistence", "loading")).isEqualTo("1");
        assertThat(Long.parseLong(info(loading, "persistence", "loading_total_bytes")))
            .isEqualTo(dir.resolve("dump.rdb").toFile().length());
        assertThat(info(loading, "persistence", "loading_loaded_perc")).matches("\\d+\\.\\d\\d");
        Await.until("the load to end", () -> "0".equals(info(loading, "persistence", "loading")), EXIT_TIMEOUT);
        assertThat(call(loading, "GET", "k:1")).isEqualTo("$2\r\nv1\r\n");
        assertThat(call(loading, "DBSIZE")).isEqualTo(":3000\r\n");
    }

    @Test
    void corruptDumpStopsTheStartWithTheProblemNamed() throws IOException {
        final NodeProcess cin = cinnabar(NodeProcess.newDirectory("persist-good"));
        try (Jedis j = jedis(cin)) {
            writeEveryType(j, "x:");
        }
        assertThat(call(cin, "SAVE")).isEqualTo("+OK\r\n");
        final byte[] good = Files.readAllBytes(dirOf(cin).resolve("dump.rdb"));

        final Path corruptDir = NodeProcess.newDirectory("persist-corrupt");
        final byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x5a;
        Files.write(corruptDir.resolve("dump.rdb"), flipped);
        assertThatThrownBy(() -> cinnabar(corruptDir))
            .hasMessageContaining("exited with status 1")
            .hasMessageContaining("Fatal error loading the DB dump.rdb: RDB error at offset")
            .hasMessageContaining("Terminating server after rdb file reading failure.");

        final Path truncatedDir = NodeProcess.newDirectory("persist-truncated");
        Files.write(truncatedDir.resolve("dump.rdb"), Arrays.copyOf(good, good.length - 40));
        assertThatThrownBy(() -> cinnabar(truncatedDir))
            .hasMessageContaining("exited with status 1")
            .hasMessageContaining("RDB error at offset");
    }

    /** Overwrite, delete, change, expire, extend or add, on a key anywhere in the keyspace. */
    private static String[] randomWrite(final SplittableRandom rnd, final int keys, final int n) {
        final int base = rnd.nextInt(keys / 4) * 4;
        return switch (rnd.nextInt(6)) {
            case 0 -> new String[] {"SET", "s:" + base, "overwritten"};
            case 1 -> new String[] {"DEL", "l:" + (base + 1)};
            case 2 -> new String[] {"HSET", "h:" + (base + 2), "f", "changed", "new", "field"};
            case 3 -> new String[] {"PEXPIRE", "s:" + base, "1"};
            case 4 -> new String[] {"SET", "new:" + n, "fresh", "PX", "100000"};
            default -> new String[] {"RPUSH", "l:" + (base + 1), "more"};
        };
    }

    /** The directory a node was given with --dir, from CONFIG GET dir. */
    private static Path dirOf(final NodeProcess n) {
        return Path.of(call(n, "CONFIG", "GET", "dir").split("\r\n")[4]);
    }
}
