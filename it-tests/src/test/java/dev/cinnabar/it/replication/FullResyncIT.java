package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
 * A Cinnabar master with Cinnabar replicas: full sync of an existing dataset (streamed and
 * disk-based), then the command stream for every data type, transactions, databases and
 * expiries, with the replicas read-only and INFO telling the same story on both sides; and a
 * chain master → replica → sub-replica, which stays consistent across its master's partial and full resyncs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class FullResyncIT {
    private static final String READONLY = "-READONLY You can't write against a read only replica.\r\n";
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    @Test
    void twoReplicasConvergeOnEveryTypeAndStayReadOnly() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        try (Jedis m = jedis(master)) {
            Replicas.writeEveryType(m, "before:");
        }
        final NodeProcess r1 = nodes.replicaOf(master);
        final NodeProcess r2 = nodes.replicaOf(master);
        writeAndCompare(master, "after:", r1, r2);
        assertThat(Replicas.dataset(r1)).containsKeys("0:before:list", "0:after:list", "4:after:db3", "3:after:db4",
            "0:after:tx3");

        assertThat(call(r1, "SET", "k", "v")).isEqualTo(READONLY);
        assertThat(call(r2, "INCR", "n")).isEqualTo(READONLY);

        assertThat(info(master, "replication", "role")).isEqualTo("master");
        assertThat(infoLong(master, "replication", "connected_slaves")).isEqualTo(2);
        assertThat(info(master, "replication", "slave0")).matches(
            "ip=127\\.0\\.0\\.1,port=(" + r1.port() + "|" + r2.port() + "),state=online,offset=\\d+,lag=\\d+");
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(2);
        for (final NodeProcess r : List.of(r1, r2)) {
            assertThat(info(r, "replication", "role")).isEqualTo("slave");
            assertThat(info(r, "replication", "master_port")).isEqualTo(Integer.toString(master.port()));
            assertThat(info(r, "replication", "master_replid")).isEqualTo(info(master, "replication", "master_replid"));
            assertThat(info(r, "replication", "slave_read_only")).isEqualTo("1");
            assertThat(call(r, "ROLE")).startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + master.port()
                + "\r\n$9\r\nconnected\r\n:");
        }
        assertThat(call(master, "ROLE")).startsWith("*3\r\n$6\r\nmaster\r\n:");
    }

    @Test
    void expiredKeysReachReplicasAsDeletions() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess r1 = nodes.replicaOf(master);
        awaitInSync(master, r1);
        try (Jedis m = jedis(master)) {
            m.psetex("short", 300, "v");
            m.set("long", "v");
        }
        awaitInSync(master, r1);
        assertThat(call(r1, "DBSIZE")).isEqualTo(":2\r\n");
        // once expired, a replica reports the key missing but keeps it until the master's DEL arrives
        Await.until("the master expired the key and told its replica",
            () -> call(r1, "DBSIZE").equals(":1\r\n"), Duration.ofSeconds(30));
        assertThat(call(r1, "EXISTS", "short")).isEqualTo(":0\r\n");
        assertThat(call(r1, "GET", "long")).isEqualTo("$1\r\nv\r\n");
        assertThat(infoLong(master, "stats", "expired_keys")).isEqualTo(1);
    }

    @Test
    void diskBasedSyncSendsTheRdbFileAsABulk() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync", "no");
        try (Jedis m = jedis(master)) {
            Replicas.writeEveryType(m, "disk:");
        }
        final NodeProcess r1 = nodes.replicaOf(master);
        writeAndCompare(master, "streamed:", r1);
        assertThat(master.log()).contains("Starting BGSAVE for SYNC with target: disk");
        assertThat(r1.log()).containsPattern("MASTER <-> REPLICA sync: receiving \\d+ bytes from master to disk");
    }

    @Test
    void aReplicaOfAReplicaGetsTheMastersStreamAndHistory() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess middle = nodes.replicaOf(master, "--repl-diskless-sync-delay", "0");
        final NodeProcess leaf = nodes.replicaOf(middle);
        writeAndCompare(master, "chain:", middle, leaf);
        assertThat(info(leaf, "replication", "master_replid")).isEqualTo(info(master, "replication", "master_replid"));
        Await.until("the leaf at the master's offset", () -> infoLong(leaf, "replication", "master_repl_offset")
            == infoLong(master, "replication", "master_repl_offset"), Replicas.SYNC_TIMEOUT);
        assertThat(infoLong(middle, "replication", "connected_slaves")).isEqualTo(1);
        assertThat(call(leaf, "ROLE")).contains(":" + middle.port() + "\r\n$9\r\nconnected");
    }
    @Test
    void aSubReplicaStaysConsistentAcrossItsMastersPartialAndFullResyncs() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16kb");
        final NodeProcess middle = nodes.replicaOf(master, "--repl-diskless-sync-delay", "0");
        final NodeProcess leaf = nodes.replicaOf(middle);
        writeAndCompare(master, "a:", middle, leaf);

        // the middle's link drops: it continues from the master's backlog, the leaf from the middle's
        Await.until("the middle's link cut", () -> PartialResyncIT.killReplicaLinks(master) == 1, Replicas.SYNC_TIMEOUT);
        writeAndCompare(master, "b:", middle, leaf);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).isEqualTo(1);

        // the middle misses more than the backlog holds: its full resync takes the leaf along
        Nodes.signal(middle, "STOP");
        assertThat(PartialResyncIT.killReplicaLinks(master)).isEqualTo(1);
        try (Jedis m = jedis(master)) {
            final String value = "x".repeat(1000);
            for (int i = 0; i < 64; i++) {
                m.set("big:" + i, value);
            }
        }
        Nodes.signal(middle, "CONT");
        writeAndCompare(master, "c:", middle, leaf);
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(2);
        assertThat(info(leaf, "replication", "master_replid")).isEqualTo(info(master, "replication", "master_replid"));
    }
}
