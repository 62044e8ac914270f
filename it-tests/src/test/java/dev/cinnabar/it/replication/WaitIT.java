package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WAIT counts the replicas that acknowledged the client's writes, blocks (holding back the
 * client's next commands) until enough did or the timeout passed; min-replicas-to-write refuses
 * writes without enough good replicas.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class WaitIT {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static String text(final byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void waitCountsAcknowledgingReplicasAndTimesOut() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess r1 = nodes.replicaOf(master);
        final NodeProcess r2 = nodes.replicaOf(master);
        awaitInSync(master, r1, r2);
        try (RespClient c = master.client()) {
            assertThat(text(c.call("SET", "k", "v"))).isEqualTo("+OK\r\n");
            assertThat(text(c.call("WAIT", "2", "0"))).isEqualTo(":2\r\n");
            // the GETACK that WAIT sent is not this client's write: both replicas still count
            assertThat(text(c.call("WAIT", "0", "0"))).isEqualTo(":2\r\n");

            Nodes.signal(r2, "STOP");
            assertThat(text(c.call("INCR", "n"))).isEqualTo(":1\r\n");
            final long start = System.nanoTime();
            // pipelined: the PING's reply must come after WAIT's, which takes its whole timeout
            c.write("*3\r\n$4\r\nWAIT\r\n$1\r\n2\r\n$3\r\n700\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(text(c.readReply())).isEqualTo(":1\r\n");
            final long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(text(c.readReply())).isEqualTo("+PONG\r\n");
            assertThat(tookMs).isGreaterThanOrEqualTo(650);
            assertThat(info(master, "clients", "blocked_clients")).isEqualTo("0");
            Nodes.signal(r2, "CONT");
            assertThat(text(c.call("WAIT", "2", "30000"))).isEqualTo(":2\r\n");
        }
        assertThat(call(r1, "WAIT", "1", "0")).startsWith("-ERR WAIT cannot be used with replica instances.");
        assertThat(call(master, "WAIT", "1", "-1")).isEqualTo("-ERR timeout is negative\r\n");
        assertThat(call(master, "WAIT", "x", "0")).isEqualTo("-ERR value is not an integer or out of range\r\n");
    }

    @Test
    void minReplicasToWriteRefusesWritesWithoutEnoughGoodReplicas() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess r1 = nodes.replicaOf(master);
        awaitInSync(master, r1);
        assertThat(call(master, "CONFIG", "SET", "min-replicas-to-write", "2")).isEqualTo("+OK\r\n");
        assertThat(call(master, "SET", "k", "v")).isEqualTo("-NOREPLICAS Not enough good replicas to write.\r\n");
        assertThat(call(master, "GET", "k")).isEqualTo("$-1\r\n");
        assertThat(info(master, "replication", "min_slaves_good_slaves")).isEqualTo("1");
        assertThat(call(master, "CONFIG", "SET", "min-replicas-to-write", "1")).isEqualTo("+OK\r\n");
        assertThat(call(master, "SET", "k", "v")).isEqualTo("+OK\r\n");
    }
}
