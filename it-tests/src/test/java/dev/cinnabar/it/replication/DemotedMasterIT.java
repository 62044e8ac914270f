package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A master that took writes and was made a replica disconnects, for a while, the clients that write to it after their
 * READONLY: they take it for the master still (a sentinel pool that connected between the failover and +switch-master)
 * and must look the master up again. A replica that never was a master keeps the connection, as Redis does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class DemotedMasterIT {
    private static final String READONLY = "-READONLY You can't write against a read only replica.\r\n";
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    @Test
    void aDemotedMasterDisconnectsItsWritersButAPlainReplicaDoesNot() {
        final NodeProcess newMaster = nodes.cinnabar();
        final NodeProcess oldMaster = nodes.cinnabar();
        assertThat(call(oldMaster, "SET", "k", "before")).isEqualTo("+OK\r\n");
        assertThat(call(oldMaster, "REPLICAOF", "127.0.0.1", Integer.toString(newMaster.port()))).isEqualTo("+OK\r\n");
        awaitInSync(newMaster, oldMaster);

        try (RespClient c = oldMaster.client()) {
            assertThat(new String(c.call("GET", "k"))).as("reads are served").isEqualTo("$-1\r\n");
            assertThat(new String(c.call("SET", "k", "v"))).isEqualTo(READONLY);
            assertThatThrownBy(() -> c.call("PING")).isInstanceOf(UncheckedIOException.class);
        }

        final NodeProcess replica = nodes.replicaOf(newMaster);
        awaitInSync(newMaster, replica);
        try (RespClient c = replica.client()) {
            assertThat(new String(c.call("SET", "k", "v"))).isEqualTo(READONLY);
            assertThat(new String(c.call("PING"))).isEqualTo("+PONG\r\n");
        }
    }
}
