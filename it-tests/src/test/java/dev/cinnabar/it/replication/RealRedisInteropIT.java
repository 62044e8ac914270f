package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.call;
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
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The wire protocol both ways with the real redis-server 7.0: a real replica of a Cinnabar master,
 * and a Cinnabar replica of a real master, each through a full sync, the command stream and a
 * partial resync after a dropped link, the data compared key by key. Skipped (with the install
 * hint) when redis-server is not installed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class RealRedisInteropIT {
    private final Nodes nodes = new Nodes();

    @BeforeEach
    void requireRedis() {
        RealRedis.assumeInstalled();
    }

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    /** Full sync of an existing dataset, then the stream; then a cut link, more writes and a partial resync. */
    private static void fullStreamCutContinue(final NodeProcess master, final NodeProcess replica,
                                              final Runnable cutLink) {
        writeAndCompare(master, "stream:", replica);
        assertThat(call(master, "WAIT", "1", "5000")).isEqualTo(":1\r\n");
        cutLink.run();
        writeAndCompare(master, "after-cut:", replica);
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(1);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).isEqualTo(1);
        assertThat(replica.log()).contains("Successful partial resynchronization with master.");
        assertThat(info(replica, "replication", "master_replid")).isEqualTo(info(master, "replication", "master_replid"));
    }

    @Test
    void aRealRedisReplicatesACinnabarMaster() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        try (Jedis m = jedis(master)) {
            Replicas.writeEveryType(m, "rdb:");
        }
        final NodeProcess replica = nodes.redis("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        fullStreamCutContinue(master, replica, () -> Await.until("the real replica's link cut",
            () -> PartialResyncIT.killReplicaLinks(master) == 1, Duration.ofSeconds(30)));
        assertThat(replica.log()).contains("MASTER <-> REPLICA sync: Finished with success");
    }

    @Test
    void aCinnabarReplicaReplicatesARealMaster() {
        final NodeProcess master = nodes.redis("--repl-diskless-sync-delay", "0");
        try (Jedis m = jedis(master)) {
            Replicas.writeEveryType(m, "rdb:");
        }
        final NodeProcess replica = nodes.replicaOf(master);
        fullStreamCutContinue(master, replica,
            () -> assertThat(call(master, "CLIENT", "KILL", "TYPE", "replica")).isEqualTo(":1\r\n"));
    }
}
