package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.dataset;
import static dev.cinnabar.it.replication.Replicas.fill;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.TcpRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * repl-diskless-load on the replica side, against a Cinnabar master (diskless sync: {@code $EOF:}
 * framing, or disk-based: {@code $len}) and a real redis-server master: each mode ends with the
 * master's data key by key; swapdb keeps the old data when the transfer is cut; on-empty-db goes
 * through the disk when the dataset is not empty, and never leaves a partial dataset.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class DisklessLoadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static void replicaOf(final NodeProcess replica, final int port) {
        assertThat(call(replica, "REPLICAOF", "127.0.0.1", Integer.toString(port))).startsWith("+OK");
    }

    private static boolean linkUp(final NodeProcess replica) {
        return "up".equals(info(replica, "replication", "master_link_status"));
    }

    private static void assertNoTempFile(final NodeProcess replica) throws IOException {
        try (Stream<Path> files = Files.list(replica.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temp file with a diskless load")
                .noneMatch(f -> f.startsWith("temp-"));
        }
    }

    @Test
    void swapdbFromACinnabarMasterParsesTheStreamedRdbAndServesLoadingMeanwhile() throws IOException {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        fill(master, "m:", 3000, 20);
        // 300 µs per key: the load lasts about a second, long enough to look at it
        final NodeProcess replica = nodes.cinnabar("--repl-diskless-load", "swapdb", "--key-load-delay", "300");
        fill(replica, "local:", 50, 5);
        replicaOf(replica, master.port());
        // another history (a master turned replica): commands get -LOADING, the old data is kept apart
        Await.until("the load started", () -> "1".equals(info(replica, "persistence", "loading")), WAIT);
        assertThat(call(replica, "GET", "local:1")).startsWith("-LOADING");
        assertThat(info(replica, "persistence", "async_loading")).isEqualTo("0");
        assertThat(info(replica, "replication", "master_sync_in_progress")).isEqualTo("1");
        assertThat(info(replica, "replication", "master_sync_total_bytes")).as("$EOF: size unknown").isEqualTo("0");
        assertThat(info(replica, "persistence", "loading_total_bytes")).isEqualTo("0");
        assertThat(info(replica, "persistence", "loading_loaded_bytes")).isNotNull();
        Await.until("link up", () -> linkUp(replica), WAIT);
        writeAndCompare(master, "after:", replica);
        assertThat(call(replica, "EXISTS", "local:1")).isEqualTo(":0\r\n");
        assertThat(replica.log()).contains(
            "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser",
            "MASTER <-> REPLICA sync: Loading DB in memory",
            "MASTER <-> REPLICA sync: Swapping active DB with loaded DB",
            "MASTER <-> REPLICA sync: Finished with success");
        assertThat(replica.log()).doesNotContain("MASTER <-> REPLICA sync: Flushing old data");
        assertNoTempFile(replica);
    }

    @Test
    void swapdbWithinTheSameHistoryKeepsServingTheOldDataWhileLoading() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--repl-backlog-size", "1",
            "--repl-timeout", "3");
        final NodeProcess replica = nodes.replicaOf(master, "--repl-diskless-load", "swapdb");
        fill(master, "m:", 3000, 20);
        writeAndCompare(master, "before:", replica);
        assertThat(call(replica, "CONFIG", "SET", "key-load-delay", "250")).startsWith("+OK");

        // the replica falls behind a backlog that keeps nothing: its PSYNC becomes a full sync of the same history
        Nodes.signal(replica, "STOP");
        Await.until("the master drops the silent replica",
            () -> "0".equals(info(master, "replication", "connected_slaves")), WAIT);
        fill(master, "while-stopped:", 100, 10);
        Nodes.signal(replica, "CONT");
        Await.until("the async load started", () -> "1".equals(info(replica, "persistence", "async_loading")), WAIT);
        assertThat(info(replica, "persistence", "loading")).isEqualTo("0");
        assertThat(call(replica, "GET", "m:7")).as("the old data serves reads").isEqualTo("$21\r\nvvvvvvvvvvvvvvvvvvvv7\r\n");
        assertThat(call(replica, "EXISTS", "while-stopped:1")).isEqualTo(":0\r\n");
        assertThat(call(replica, "REPLICAOF", "NO", "ONE")).as("no_async_loading").startsWith("-LOADING");
        Await.until("link up", () -> linkUp(replica), WAIT);
        assertThat(call(replica, "CONFIG", "SET", "key-load-delay", "0")).startsWith("+OK");
        writeAndCompare(master, "after:", replica);
        assertThat(call(replica, "GET", "while-stopped:1")).isEqualTo("$11\r\nvvvvvvvvvv1\r\n");
        assertThat(replica.log()).contains("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
    }

    @Test
    void swapdbFromARealRedisMasterWithALengthFramedRdb() throws IOException {
        RealRedis.assumeInstalled();
        final NodeProcess master = nodes.redis("--repl-diskless-sync", "no");
        fill(master, "m:", 2000, 20);
        final NodeProcess replica = nodes.cinnabar("--repl-diskless-load", "swapdb");
        fill(replica, "local:", 10, 5);
        replicaOf(replica, master.port());
        writeAndCompare(master, "after:", replica);
        assertThat(replica.log()).containsPattern("MASTER <-> REPLICA sync: receiving \\d+ bytes from master to parser");
        assertNoTempFile(replica);
    }

    @Test
    void onEmptyDbFromARealRedisMasterLoadsFromTheSocket() throws IOException {
        RealRedis.assumeInstalled();
        final NodeProcess master = nodes.redis("--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
        fill(master, "m:", 2000, 20);
        final NodeProcess replica = nodes.replicaOf(master, "--repl-diskless-load", "on-empty-db");
        writeAndCompare(master, "after:", replica);
        assertThat(replica.log()).contains(
            "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser",
            "MASTER <-> REPLICA sync: Flushing old data",
            "MASTER <-> REPLICA sync: Finished with success");
        assertNoTempFile(replica);
    }

    @Test
    void onEmptyDbWithDataGoesThroughTheDisk() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync", "no");
        fill(master, "m:", 500, 20);
        final NodeProcess replica = nodes.cinnabar("--repl-diskless-load", "on-empty-db");
        fill(replica, "local:", 10, 5);
        replicaOf(replica, master.port());
        writeAndCompare(master, "after:", replica);
        assertThat(replica.log()).containsPattern("MASTER <-> REPLICA sync: receiving \\d+ bytes from master to disk");
        assertThat(replica.log()).doesNotContain("to parser");
    }

    /** A replica with {@code mode} whose first sync is cut after 256 KiB; the relay then goes away for good. */
    private NodeProcess cutFirstSync(final String mode, final boolean withData) throws IOException {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        fill(master, "k:", 20_000, 100);
        final NodeProcess replica = nodes.cinnabar("--repl-diskless-load", mode);
        if (withData) {
            writeAndCompare(replica, "old:");
        }
        final Map<String, String> before = dataset(replica);
        try (TcpRelay proxy = TcpRelay.cutFirstAfter(master.port(), 256 * 1024)) {
            replicaOf(replica, proxy.port());
            Await.until("the cut", proxy::cut, WAIT);
        }
        // the proxy is gone: no second sync can replace what the replica shows now
        Await.until("the failed load ended", () -> replica.log().contains(
            "Failed trying to load the MASTER synchronization DB from socket, check server logs."), WAIT);
        assertThat(info(replica, "persistence", "loading")).isEqualTo("0");
        assertThat(info(replica, "replication", "master_link_status")).isEqualTo("down");
        assertThat(dataset(replica)).as("the data before the sync, key by key").isEqualTo(before);
        return replica;
    }

    @Test
    void aLinkCutMidTransferInSwapdbLeavesTheOldDataIntact() throws IOException {
        final NodeProcess replica = cutFirstSync("swapdb", true);
        assertThat(dataset(replica)).isNotEmpty();
        assertThat(replica.log()).contains("MASTER <-> REPLICA sync: Discarding temporary DB in background");
        assertNoTempFile(replica);
    }

    @Test
    void aLinkCutMidTransferInOnEmptyDbLeavesTheDatasetEmpty() throws IOException {
        final NodeProcess replica = cutFirstSync("on-empty-db", false);
        assertThat(call(replica, "DBSIZE")).as("no half-loaded dataset").isEqualTo(":0\r\n");
        assertThat(replica.log()).contains("MASTER <-> REPLICA sync: Flushing old data");
    }
}
