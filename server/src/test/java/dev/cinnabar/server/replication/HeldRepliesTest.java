package dev.cinnabar.server.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

/**
 * cinnabar-sync-replicas through the wire: on a master its sentinels manage, a write's reply waits
 * for a replica's REPLCONF ACK of its offset, and is never sent when none comes in time. The
 * replica and the sentinel are this test, speaking their side of the protocol by hand, so the
 * replica acknowledges exactly when the test says.
 */
@Timeout(60)
class HeldRepliesTest {
    private Server master;
    private RespTestClient replica;
    private RespTestClient sentinel;

    @BeforeEach
    void setUp() throws Exception {
        master = TestServers.start("--repl-diskless-sync", "no", "--cinnabar-sync-timeout-ms", "500",
            "--cinnabar-master-lease-ms", "30000");
        replica = new RespTestClient(master.boundPort());
        assertThat(replica.call("REPLCONF", "listening-port", "7777")).isEqualTo("+OK\r\n");
        replica.send("PSYNC", "?", "-1");
        assertThat(replica.line()).startsWith("+FULLRESYNC");
        String header = replica.line();
        while (header.isEmpty()) {
            header = replica.line(); // newlines keep a replica waiting for its snapshot alive
        }
        replica.bytes(Integer.parseInt(header.substring(1)));
        replica.send("REPLCONF", "ACK", "0");
        sentinel = new RespTestClient(master.boundPort());
        assertThat(sentinel.call("CLIENT", "SETNAME", "sentinel-aaaaaaaa-cmd")).isEqualTo("+OK\r\n");
        sentinel.call("PUBLISH", "__sentinel__:hello", "127.0.0.5,26379,aaaaaaaa" + "0".repeat(32)
            + ",0,mymaster,127.0.0.1," + master.boundPort() + ",0");
        assertThat(sentinel.call("INFO", "replication")).contains("cinnabar_fence:held");
        TestServers.await(() -> replicationInfo().contains("state=online"), 5000);
    }

    private String replicationInfo() {
        try {
            return sentinel.call("INFO", "replication");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        replica.close();
        sentinel.close();
        TestServers.stop(master);
    }

    @Test
    void aWriteIsAcknowledgedOnlyAfterTheReplicaAcknowledgedIt() throws Exception {
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            c.send("SET", "k", "v");
            c.timeout(200);
            assertThatThrownBy(c::read).as("no reply before the replica's ACK").isInstanceOf(SocketTimeoutException.class);
            replica.send("REPLCONF", "ACK", Long.toString(master.replication().state().masterReplOffset()));
            c.timeout(5000);
            assertThat(c.read()).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k")).as("reads are not held").isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void aWriteNoReplicaAcknowledgesInTimeIsNeverAcknowledged() throws Exception {
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            c.send("SET", "k", "v");
            assertThat(c.closedByServer()).as("the connection closes after cinnabar-sync-timeout-ms").isTrue();
        }
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            assertThat(c.call("GET", "k")).as("the write itself was applied").isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void onAMasterNoSentinelManagesTheReplyDoesNotWait() throws Exception {
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            assertThat(c.call("CONFIG", "SET", "cinnabar-master-lease-ms", "0")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void withSyncReplicasZeroTheReplyDoesNotWait() throws Exception {
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            assertThat(c.call("CONFIG", "SET", "cinnabar-sync-replicas", "0")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
        }
    }
}
