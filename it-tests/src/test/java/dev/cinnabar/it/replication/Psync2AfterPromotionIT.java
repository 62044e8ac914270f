package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PSYNC2: after a replica is promoted (REPLICAOF NO ONE), the other replica of the old master —
 * and the old master itself, demoted — follow it with a partial resynchronization, because the
 * promoted one keeps the old history as its second replication id.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class Psync2AfterPromotionIT {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    @Test
    void theOtherReplicaAndTheOldMasterContinuePartiallyWithThePromotedOne() {
        // no PING from the old master between the promotion and the switch: it would move the offsets apart
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600");
        final NodeProcess r1 = nodes.replicaOf(master, "--repl-diskless-sync-delay", "0");
        final NodeProcess r2 = nodes.replicaOf(master);
        writeAndCompare(master, "old:", r1, r2);
        awaitInSync(master, r1, r2);
        final String oldId = info(master, "replication", "master_replid");

        assertThat(call(r1, "REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
        assertThat(info(r1, "replication", "role")).isEqualTo("master");
        assertThat(info(r1, "replication", "master_replid2")).isEqualTo(oldId);
        assertThat(infoLong(r1, "replication", "second_repl_offset"))
            .isEqualTo(infoLong(r1, "replication", "master_repl_offset") + 1);
        assertThat(info(r1, "replication", "master_replid")).isNotEqualTo(oldId);

        assertThat(call(r2, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port()))).isEqualTo("+OK\r\n");
        assertThat(call(master, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port()))).isEqualTo("+OK\r\n");
        writeAndCompare(r1, "new:", r2, master);
        assertThat(infoLong(r1, "stats", "sync_full")).isZero();
        assertThat(infoLong(r1, "stats", "sync_partial_ok")).isEqualTo(2);
        assertThat(r1.log()).contains("Setting secondary replication ID to " + oldId);
        assertThat(info(r2, "replication", "master_replid")).isEqualTo(info(r1, "replication", "master_replid"));
        assertThat(call(r2, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port())))
            .isEqualTo("+OK Already connected to specified master\r\n");
    }
}
