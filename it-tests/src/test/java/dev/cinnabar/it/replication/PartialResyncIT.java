package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.dataset;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * A replica that loses its link continues from the backlog (+CONTINUE, no second full sync) as long
 * as the backlog still holds what it lacks, and falls back to a full sync when it does not.
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
}
