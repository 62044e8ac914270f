package dev.cinnabar.it.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * masteruser + masterauth both ways with the real redis-server 7.0: the master requires a password
 * for the default user and has a user "repl" allowed only PSYNC, REPLCONF and PING (declared with
 * a "user" line); the replica authenticates as that user (AUTH repl pass in the handshake), syncs,
 * follows the stream, and the master logs no denial. A replica with a wrong password never syncs
 * and the master logs its failed AUTH.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class AclReplicationIT {
    private static final String MASTER_PASSWORD = "masterpw";
    private static final String[] REPL_USER = {"--requirepass", MASTER_PASSWORD, "--repl-diskless-sync-delay", "0",
        "--user", "repl", "on", ">rpass", "+psync", "+replconf", "+ping"};
    private final Nodes nodes = new Nodes();

    @BeforeEach
    void requireRedis() {
        RealRedis.assumeInstalled();
    }

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static Jedis master(final NodeProcess n) {
        return new Jedis("127.0.0.1", n.port(), DefaultJedisClientConfig.builder().password(MASTER_PASSWORD)
            .socketTimeoutMillis(20_000).build());
    }

    private static String call(final NodeProcess n, final String password, final String... argv) {
        try (RespClient c = n.client()) {
            if (password != null) {
                assertThat(c.call("AUTH", password)).isEqualTo("+OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            return new String(c.call(argv), StandardCharsets.ISO_8859_1);
        }
    }

    /** Writes before and after the sync, then waits for the replica to hold all of them. */
    private static void replicatesThroughTheRestrictedUser(final NodeProcess master, final NodeProcess replica) {
        try (Jedis m = master(master)) {
            for (int i = 0; i < 100; i++) {
                m.set("before:" + i, "v" + i);
            }
            Await.until("replica link up", () -> "up".equals(Replicas.info(replica, "replication",
                "master_link_status")), Replicas.SYNC_TIMEOUT);
            for (int i = 0; i < 100; i++) {
                m.set("after:" + i, "v" + i);
            }
        }
        Await.until("replica holds every key", () -> call(replica, null, "DBSIZE").equals(":200\r\n"),
            Replicas.SYNC_TIMEOUT);
        assertThat(call(replica, null, "GET", "after:99")).isEqualTo("$3\r\nv99\r\n");
        assertThat(call(master, MASTER_PASSWORD, "INFO", "replication")).contains("connected_slaves:1");
        assertThat(call(master, MASTER_PASSWORD, "ACL", "LOG")).isEqualTo("*0\r\n");
    }

    /** A replica with a wrong masterauth stays down; the master logged its AUTH as user repl. */
    private static void wrongPasswordIsRefused(final NodeProcess master, final NodeProcess replica) {
        Await.until("the master logs the failed AUTH", () -> call(master, MASTER_PASSWORD, "ACL", "LOG", "1")
            .contains("reason\r\n$4\r\nauth"), Duration.ofSeconds(30));
        assertThat(call(master, MASTER_PASSWORD, "ACL", "LOG", "1")).contains("username\r\n$4\r\nrepl\r\n");
        assertThat(Replicas.info(replica, "replication", "master_link_status")).isEqualTo("down");
    }

    @Test
    void aRealRedisReplicaAuthenticatesToACinnabarMasterAsARestrictedUser() {
        final NodeProcess master = nodes.cinnabar(REPL_USER);
        final NodeProcess replica = nodes.redis("--replicaof", "127.0.0.1", Integer.toString(master.port()),
            "--masteruser", "repl", "--masterauth", "rpass");
        replicatesThroughTheRestrictedUser(master, replica);
        assertThat(replica.log()).contains("MASTER <-> REPLICA sync: Finished with success");

        final NodeProcess refused = nodes.redis("--replicaof", "127.0.0.1", Integer.toString(master.port()),
            "--masteruser", "repl", "--masterauth", "wrong");
        wrongPasswordIsRefused(master, refused);
    }

    @Test
    void aCinnabarReplicaAuthenticatesToARealMasterAsARestrictedUser() {
        final NodeProcess master = nodes.redis(REPL_USER);
        final NodeProcess replica = nodes.replicaOf(master, "--masteruser", "repl", "--masterauth", "rpass");
        replicatesThroughTheRestrictedUser(master, replica);

        final NodeProcess refused = nodes.replicaOf(master, "--masteruser", "repl", "--masterauth", "wrong");
        wrongPasswordIsRefused(master, refused);
    }
}
