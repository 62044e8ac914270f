package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.dataset;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * A replica that loses its link continues from the backlog (+CONTINUE, no second full sync) as long
 * as the backlog still holds what it lacks, and falls back to a full sync when it does not; a
 * master or a replica restarted on the dump file it saved at shutdown continues too (the file
 * carries the replication id and offset), with Cinnabar or real Redis on the other side.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class PartialResyncIT {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    /**
     * Closes the master's side of every replica connection: the connections whose last command was
     * a replica's REPLCONF ACK or its PSYNC.
     */
    static int killReplicaLinks(final NodeProcess master) {
        int killed = 0;
        for (final String line : call(master, "CLIENT", "LIST").split("\n")) {
            if (line.contains("cmd=replconf") || line.contains("cmd=psync")) {
                final int at = line.indexOf("id=") + 3;
                if (call(master, "CLIENT", "KILL", "ID", line.substring(at, line.indexOf(' ', at))).equals(":1\r\n")) {
                    killed++;
                }
            }
        }
        return killed;
    }

    @Test
    void aDroppedLinkContinuesFromTheBacklog() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "a:", replica);
        Await.until("the replica's link cut", () -> killReplicaLinks(master) == 1, Duration.ofSeconds(30));
        writeAndCompare(master, "b:", replica);
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(1);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).isEqualTo(1);
        assertThat(master.log()).contains("Partial resynchronization request from 127.0.0.1:" + replica.port()
            + " accepted.");
        assertThat(replica.log()).contains("Successful partial resynchronization with master.",
            "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
    }

    @Test
    void aReplicaTooFarBehindTheBacklogSyncsFully() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16kb");
        final NodeProcess replica = nodes.replicaOf(master);
        awaitInSync(master, replica);
        // the link is cut while the replica is stopped; it misses more than the backlog holds
        Nodes.signal(replica, "STOP");
        assertThat(killReplicaLinks(master)).isEqualTo(1);
        try (Jedis m = jedis(master)) {
            final String value = "x".repeat(1000);
            for (int i = 0; i < 64; i++) {
                m.set("big:" + i, value);
            }
        }
        Nodes.signal(replica, "CONT");
        awaitInSync(master, replica);
        assertThat(dataset(replica)).isEqualTo(dataset(master));
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(2);
        assertThat(infoLong(master, "stats", "sync_partial_err")).isGreaterThanOrEqualTo(1);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).isZero();
        assertThat(master.log()).contains("for lack of backlog");
        assertThat(info(master, "replication", "repl_backlog_histlen")).isEqualTo("16384");
    }
    /** SHUTDOWN SAVE, whose reply is the connection closing, then the process gone. */
    private static void shutdownSave(final NodeProcess n) {
        try (RespClient c = n.client()) {
            c.write(RespClient.encode(RespClient.argv("SHUTDOWN", "SAVE")));
        }
        Await.until(n + " to exit", () -> !n.alive(), Duration.ofSeconds(30));
    }

    private static String port(final NodeProcess n) {
        return Integer.toString(n.port());
    }

    @Test
    void aMasterThenAReplicaRestartedOnTheirDumpFilesContinuePartially() {
        final Path masterDir = NodeProcess.newDirectory("restarted-master");
        final Path replicaDir = NodeProcess.newDirectory("restarted-replica");
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--dir", masterDir.toString());
        final NodeProcess replica = nodes.replicaOf(master, "--dir", replicaDir.toString());
        writeAndCompare(master, "a:", replica);
        final String id = info(master, "replication", "master_replid");
        final long offset = infoLong(master, "replication", "master_repl_offset");

        shutdownSave(master);
        final NodeProcess restarted = nodes.cinnabarOn(master.port(), "--repl-diskless-sync-delay", "0",
            "--dir", masterDir.toString());
        assertThat(info(restarted, "replication", "master_replid2")).isEqualTo(id);
        assertThat(infoLong(restarted, "replication", "second_repl_offset")).isEqualTo(offset + 1);
        assertThat(infoLong(restarted, "replication", "master_repl_offset")).isEqualTo(offset);
        writeAndCompare(restarted, "b:", replica);
        assertThat(infoLong(restarted, "stats", "sync_full")).isZero();
        assertThat(infoLong(restarted, "stats", "sync_partial_ok")).isEqualTo(1);

        shutdownSave(replica);
        try (Jedis m = jedis(restarted)) {
            Replicas.writeEveryType(m, "c:"); // while the replica is down
        }
        final NodeProcess replicaAgain = nodes.cinnabarOn(replica.port(), "--replicaof", "127.0.0.1", port(restarted),
            "--dir", replicaDir.toString());
        writeAndCompare(restarted, "d:", replicaAgain);
        assertThat(infoLong(restarted, "stats", "sync_full")).isZero();
        assertThat(infoLong(restarted, "stats", "sync_partial_ok")).isEqualTo(2);
        assertThat(replicaAgain.log()).contains("Successful partial resynchronization with master.");
    }

    @Test
    void restartsContinuePartiallyWithRealRedisOnTheOtherSide() {
        // a real Redis replica follows a Cinnabar master through the master's restart
        final Path masterDir = NodeProcess.newDirectory("restarted-master");
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--dir", masterDir.toString());
        final NodeProcess redisReplica = nodes.redis("--replicaof", "127.0.0.1", port(master));
        writeAndCompare(master, "a:", redisReplica);
        shutdownSave(master);
        final NodeProcess restarted = nodes.cinnabarOn(master.port(), "--repl-diskless-sync-delay", "0",
            "--dir", masterDir.toString());
        writeAndCompare(restarted, "b:", redisReplica);
        assertThat(infoLong(restarted, "stats", "sync_full")).isZero();
        assertThat(infoLong(restarted, "stats", "sync_partial_ok")).isEqualTo(1);

        // a Cinnabar replica of a real Redis master restarts on its dump and continues
        final Path replicaDir = NodeProcess.newDirectory("restarted-replica");
        final NodeProcess redisMaster = nodes.redis("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(redisMaster, "--dir", replicaDir.toString());
        writeAndCompare(redisMaster, "c:", replica);
        shutdownSave(replica);
        try (Jedis m = jedis(redisMaster)) {
            Replicas.writeEveryType(m, "d:");
        }
        final NodeProcess replicaAgain = nodes.cinnabarOn(replica.port(), "--replicaof", "127.0.0.1",
            port(redisMaster), "--dir", replicaDir.toString());
        writeAndCompare(redisMaster, "e:", replicaAgain);
        assertThat(infoLong(redisMaster, "stats", "sync_full")).isEqualTo(1);
        assertThat(infoLong(redisMaster, "stats", "sync_partial_ok")).isEqualTo(1);
    }
}
