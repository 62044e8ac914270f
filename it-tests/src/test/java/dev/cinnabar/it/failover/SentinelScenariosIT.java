package dev.cinnabar.it.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * Sentinel behaviours on an all-Cinnabar fleet (master + 2 replicas + 3 sentinels, quorum 2), each
 * driven by a real fault: a replica with replica-priority 0 is never promoted; two sentinels out
 * of three still fail over a SIGSTOPped master, which is turned into a replica when it resumes, while
 * one sentinel alone (no quorum, no majority) never does; a
 * restarted sentinel comes back with the configuration it rewrote; Jedis's and Lettuce's sentinel
 * clients follow a manual failover.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class SentinelScenariosIT {
    private static final Duration AGREE = Duration.ofSeconds(60);
    /** The tutorial's value; a Cinnabar master's lease (2000 ms by default) needs lease + 1 s <= down-after. */
    private static final int DOWN_AFTER_MS = 3000;

    @Test
    void aReplicaWithPriorityZeroIsNeverPromoted() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, 10_000)) {
            final NodeProcess never = fleet.data.get(1);
            final NodeProcess chosen = fleet.data.get(2);
            try (RespClient c = never.client()) {
                assertThat(Fleet.text(c.call("CONFIG", "SET", "replica-priority", "0"))).isEqualTo("+OK\r\n");
            }
            // the sentinels read the priority from INFO, refreshed every 10 s, or at once on their next full scan
            Await.until("the sentinels to see priority 0", () -> {
                try (RespClient s = fleet.sentinels.get(0).client()) {
                    return Fleet.text(s.call("SENTINEL", "REPLICAS", Fleet.MASTER)).contains("slave-priority\r\n$1\r\n0");
                }
            }, AGREE);
            final int oldMaster = fleet.data.get(0).port();
            fleet.data.get(0).kill();
            Await.until("all sentinels to agree on a new master", () -> {
                final int m = fleet.agreedMaster(0, 1, 2);
                return m > 0 && m != oldMaster;
            }, AGREE);
            assertThat(fleet.agreedMaster(0, 1, 2)).isEqualTo(chosen.port());
            Await.until("the priority-0 replica to follow the new master",
                () -> fleet.replicates(never, chosen.port()), AGREE);
        }
    }

    @Test
    void twoSentinelsOfThreeFailOverAStoppedMasterAndConvertItWhenItResumes() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, 10_000)) {
            final NodeProcess master = fleet.data.get(0);
            fleet.sentinels.get(2).kill();
            Fleet.signal(master, "STOP");
            Await.until("the two remaining sentinels to agree on a new master", () -> {
                final int m = fleet.agreedMaster(0, 1);
                return m > 0 && m != master.port();
            }, AGREE);
            final int newMaster = fleet.agreedMaster(0, 1);
            Fleet.signal(master, "CONT");
            Await.until("the resumed old master to become a replica of the new one",
                () -> fleet.replicates(master, newMaster), AGREE);
            try (RespClient c = RespClient.connect(newMaster)) {
                assertThat(Fleet.text(c.call("SET", "after", "failover"))).isEqualTo("+OK\r\n");
            }
            Await.until("the write to reach the old master", () -> {
                try (RespClient c = master.client()) {
                    return Fleet.text(c.call("GET", "after")).equals("$8\r\nfailover\r\n");
                } catch (RuntimeException e) {
                    return false;
                }
            }, AGREE);
        }
    }

    @Test
    void oneSentinelOfThreeCannotFailOverAlone() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, 10_000)) {
            final NodeProcess master = fleet.data.get(0);
            final NodeProcess survivor = fleet.sentinels.get(0);
            fleet.sentinels.get(1).kill();
            fleet.sentinels.get(2).kill();
            Fleet.signal(master, "STOP");
            Await.until("the last sentinel to see the master subjectively down",
                () -> survivor.log().contains("+sdown master mymaster"), AGREE);
            // well past down-after (3 s) and an election round: no ODOWN without a second vote, no failover
            LockSupport.parkNanos(Duration.ofSeconds(8).toNanos());
            assertThat(fleet.masterPortSeenBy(0)).isEqualTo(master.port());
            assertThat(survivor.log()).doesNotContain("+odown", "+try-failover", "+switch-master");
            Fleet.signal(master, "CONT");
            Await.until("the master back up for the sentinel",
                () -> survivor.log().contains("-sdown master mymaster"), AGREE);
            for (final NodeProcess replica : fleet.data.subList(1, 3)) {
                assertThat(fleet.replicates(replica, master.port())).as(replica + " still replicates the master")
                    .isTrue();
            }
        }
    }

    @Test
    void aRestartedSentinelKeepsTheConfigurationItRewrote() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, 10_000)) {
            final int oldMaster = fleet.data.get(0).port();
            try (RespClient s = fleet.sentinels.get(0).client()) {
                assertThat(Fleet.text(s.call("SENTINEL", "FAILOVER", Fleet.MASTER))).isEqualTo("+OK\r\n");
            }
            Await.until("all sentinels to agree on a new master", () -> {
                final int m = fleet.agreedMaster(0, 1, 2);
                return m > 0 && m != oldMaster;
            }, AGREE);
            final int newMaster = fleet.agreedMaster(0, 1, 2);
            fleet.restartSentinel(1);
            Await.until("the restarted sentinel to answer", () -> fleet.masterPortSeenBy(1) > 0, AGREE);
            assertThat(fleet.masterPortSeenBy(1)).isEqualTo(newMaster);
            Await.until("the restarted sentinel to know its peers and replicas again", () -> {
                try (RespClient s = fleet.sentinels.get(1).client()) {
                    final String info = Fleet.text(s.call("INFO", "sentinel"));
                    return info.contains(":" + newMaster + ",slaves=2,sentinels=3");
                }
            }, AGREE);
        }
    }

    @Test
    void jedisAndLettuceFollowAManualFailover() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, 10_000)) {
            final int oldMaster = fleet.data.get(0).port();
            try (JedisSentinelPool pool = fleet.jedisPool(); PoolWriter writer = new PoolWriter(pool)) {
                Await.until("writes through the pool", () -> writer.written() > 100, AGREE);
                try (RespClient s = fleet.sentinels.get(0).client()) {
                    assertThat(Fleet.text(s.call("SENTINEL", "FAILOVER", Fleet.MASTER))).isEqualTo("+OK\r\n");
                }
                Await.until("the Jedis pool to switch", () -> {
                    final HostAndPort current = pool.getCurrentHostMaster();
                    return current.getPort() != oldMaster;
                }, AGREE);
                final int newMaster = pool.getCurrentHostMaster().getPort();
                final int before = writer.written();
                try {
                    Await.until("the pool to write to the new master", () -> writer.written() > before + 100, AGREE);
                } catch (AssertionError e) {
                    // say what the writer saw (READONLY for the whole wait was a pooled connection made to the
                    // old master before the pool switched: see ServerReplication.DEMOTED_WRITERS_MS)
                    throw new AssertionError(e.getMessage() + " (writer: " + writer.state() + ")", e);
                }
                writer.close();
                try (Jedis j = new Jedis("127.0.0.1", newMaster)) {
                    assertThat(j.info("replication")).contains("role:master");
                }
                final RedisClient lettuce = RedisClient.create(RedisURI.Builder.sentinel("127.0.0.1",
                    fleet.sentinels.get(1).port(), Fleet.MASTER).build());
                try (StatefulRedisConnection<String, String> conn = lettuce.connect()) {
                    assertThat(conn.sync().set("lettuce", "after-failover")).isEqualTo("OK");
                    assertThat(conn.sync().info("server")).contains("tcp_port:" + newMaster);
                } finally {
                    lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
                }
            }
        }
    }
}
