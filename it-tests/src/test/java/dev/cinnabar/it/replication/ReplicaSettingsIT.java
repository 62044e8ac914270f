package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replica-side settings: masterauth against a password-protected master, announced address
 * and priority as the master and sentinels see them, a writable replica that keeps its writes to
 * itself, and replica-serve-stale-data no while the master is away.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class ReplicaSettingsIT {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static String authed(final NodeProcess n, final String... argv) {
        try (RespClient c = n.client()) {
            c.call("AUTH", "s3cret");
            return new String(c.call(argv), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void authenticatesAndAnnouncesItselfAsConfigured() {
        final NodeProcess master = nodes.cinnabar("--requirepass", "s3cret", "--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master, "--masterauth", "s3cret", "--replica-announce-ip",
            "10.1.2.3", "--replica-announce-port", "7777", "--replica-priority", "42");
        Await.until("the replica's link", () -> "up".equals(info(replica, "replication", "master_link_status")),
            Replicas.SYNC_TIMEOUT);
        assertThat(authed(master, "SET", "k", "v")).isEqualTo("+OK\r\n");
        Await.until("the write replicated", () -> call(replica, "GET", "k").equals("$1\r\nv\r\n"), Replicas.SYNC_TIMEOUT);
        assertThat(info(replica, "replication", "slave_priority")).isEqualTo("42");
        Await.until("the master lists the announced address", () -> authed(master, "INFO", "replication")
            .contains("slave0:ip=10.1.2.3,port=7777,state=online"), Replicas.SYNC_TIMEOUT);
        assertThat(authed(master, "ROLE")).contains("$8\r\n10.1.2.3\r\n$4\r\n7777\r\n");
    }

    @Test
    void aWritableReplicaKeepsItsWritesAndAStaleOneRefusesData() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess writable = nodes.replicaOf(master, "--replica-read-only", "no",
            "--repl-diskless-sync-delay", "0");
        final NodeProcess sub = nodes.replicaOf(writable);
        final NodeProcess strict = nodes.replicaOf(master, "--replica-serve-stale-data", "no");
        awaitInSync(master, writable, strict);
        awaitInSync(writable, sub);
        assertThat(call(writable, "SET", "local", "1")).isEqualTo("+OK\r\n");
        assertThat(call(writable, "GET", "local")).isEqualTo("$1\r\n1\r\n");
        assertThat(call(master, "SET", "from-master", "1")).isEqualTo("+OK\r\n");
        awaitInSync(master, writable, strict);
        awaitInSync(writable, sub);
        assertThat(call(sub, "GET", "from-master")).isEqualTo("$1\r\n1\r\n");
        assertThat(call(sub, "EXISTS", "local")).as("a replica's own writes are not propagated").isEqualTo(":0\r\n");
        assertThat(info(writable, "replication", "slave_read_only")).isEqualTo("0");

        master.close();
        Await.until("the strict replica notices", () -> "down".equals(info(strict, "replication",
            "master_link_status")), Replicas.SYNC_TIMEOUT);
        assertThat(call(strict, "GET", "from-master"))
            .isEqualTo("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n");
        assertThat(call(strict, "ECHO", "x")).as("ECHO is flagged stale").isEqualTo("$1\r\nx\r\n");
        assertThat(info(strict, "replication", "master_link_down_since_seconds")).matches("\\d+");
        assertThat(call(writable, "GET", "from-master")).isEqualTo("$1\r\n1\r\n");
    }
}
