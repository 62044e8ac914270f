package dev.cinnabar.it.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * The tutorial failover with three Cinnabar sentinels (127.0.0.5-7) watching a master and two
 * replicas (127.0.0.2-4, real redis-servers until Cinnabar replicates): a Jedis sentinel pool keeps
 * writing while the master is killed with SIGKILL; every sentinel must agree on the promoted
 * replica, the pool must reconnect by itself, Lettuce must find the new master through the
 * sentinels, and the old master, restarted, must be turned into a replica of the new one.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class SentinelFailoverIT {
    private static final String MASTER = "mymaster";
    private static final Duration AGREE = Duration.ofSeconds(60);
    private static final Path ROOT = Path.of(System.getProperty("cinnabar.root", "..")).toAbsolutePath().normalize();
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(NodeProcess::close);
    }

    private NodeProcess redis(final String ip, final int port, final String... extra) {
        final List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-server", "--bind", ip, "127.0.0.1",
            "--port", Integer.toString(port), "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
            "--replica-announce-ip", ip, "--repl-diskless-sync-delay", "0", "--logfile", ""));
        cmd.addAll(List.of(extra));
        final NodeProcess n = NodeProcess.launch("redis-" + ip, port, cmd);
        nodes.add(n);
        return n;
    }

    private NodeProcess sentinel(final String ip, final int port, final String masterIp, final int masterPort)
        throws Exception {
        final Path dir = NodeProcess.newDirectory("sentinel-conf");
        final Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
            "port " + port,
            "bind " + ip + " 127.0.0.1",
            "sentinel announce-ip " + ip,
            "sentinel monitor " + MASTER + " " + masterIp + " " + masterPort + " 2",
            "sentinel down-after-milliseconds " + MASTER + " 2000",
            "sentinel failover-timeout " + MASTER + " 10000",
            "sentinel parallel-syncs " + MASTER + " 1", ""));
        final NodeProcess n = NodeProcess.launch("sentinel-" + ip, port,
            List.of(ROOT.resolve("bin/cinnabar-sentinel").toString(), conf.toString()));
        nodes.add(n);
        return n;
    }

    private static String text(final byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static String masterSeenBy(final NodeProcess sentinel) {
        try (RespClient c = sentinel.client()) {
            final String r = text(c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER));
            final String[] p = r.split("\r\n");
            return p.length >= 5 ? p[2] + ":" + p[4] : r;
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    @Test
    void killedMasterIsReplacedAndClientsFollow() throws Exception {
        RealRedis.assumeInstalled();
        final int mp = FreePort.next();
        final int r1p = FreePort.next();
        final int r2p = FreePort.next();
        final NodeProcess master = redis("127.0.0.2", mp);
        redis("127.0.0.3", r1p, "--replicaof", "127.0.0.2", Integer.toString(mp));
        redis("127.0.0.4", r2p, "--replicaof", "127.0.0.2", Integer.toString(mp));
        final List<NodeProcess> sentinels = new ArrayList<>();
        final String[] sentinelIps = {"127.0.0.5", "127.0.0.6", "127.0.0.7"};
        final Set<String> sentinelAddrs = new HashSet<>();
        for (final String ip : sentinelIps) {
            final int sp = FreePort.next();
            sentinels.add(sentinel(ip, sp, "127.0.0.2", mp));
            sentinelAddrs.add(ip + ":" + sp);
        }
        final String oldMaster = "127.0.0.2:" + mp;
        for (final NodeProcess s : sentinels) {
            Await.until(s.name() + " to see 2 replicas and 3 sentinels", () -> {
                try (RespClient c = s.client()) {
                    final String info = text(c.call("INFO", "sentinel"));
                    // not in TILT either: a sentinel in TILT mode does not act on a failure for 30 s
                    return info.contains("status=ok,address=" + oldMaster + ",slaves=2,sentinels=3")
                        && info.contains("sentinel_tilt:0\r\n");
                }
            }, AGREE);
        }

        final ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean failedOver = new AtomicBoolean();
        final List<Integer> ackedAfterFailover = new ArrayList<>();
        try (JedisSentinelPool pool = new JedisSentinelPool(MASTER, sentinelAddrs)) {
            final Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get() && i < 1_000_000; i++) {
                    try (Jedis j = pool.getResource()) {
                        j.set("w:" + i, Integer.toString(i));
                        acked.add(i);
                        if (failedOver.get()) {
                            synchronized (ackedAfterFailover) {
                                ackedAfterFailover.add(i);
                            }
                        }
                    } catch (RuntimeException e) {
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                    }
                }
            }, "jedis-writer");
            writer.start();
            Await.until("writes through the pool", () -> acked.size() > 100, AGREE);

            final long killedAt = System.nanoTime();
            master.kill();
            Await.until("all sentinels to agree on a new master", () -> {
                final Set<String> views = new HashSet<>();
                sentinels.forEach(s -> views.add(masterSeenBy(s)));
                return views.size() == 1 && !views.contains(oldMaster) && !views.contains("unreachable");
            }, AGREE);
            final String newMaster = masterSeenBy(sentinels.get(0));
            final long switchMs = (System.nanoTime() - killedAt) / 1_000_000;
            failedOver.set(true);
            assertThat(newMaster).isIn("127.0.0.3:" + r1p, "127.0.0.4:" + r2p);
            Await.until("the Jedis pool to write to the new master", () -> {
                synchronized (ackedAfterFailover) {
                    return ackedAfterFailover.size() > 50;
                }
            }, AGREE);
            stop.set(true);
            writer.join(30_000);

            // acknowledged writes the promoted replica does not have (asynchronous replication can lose some)
            final int newPort = Integer.parseInt(newMaster.substring(newMaster.indexOf(':') + 1));
            int missing = 0;
            try (RespClient c = RespClient.connect(newPort)) {
                for (final int i : acked) {
                    if (text(c.call("EXISTS", "w:" + i)).equals(":0\r\n")) {
                        missing++;
                    }
                }
            }
            System.out.println("SentinelFailoverIT: master killed -> all sentinels agree on " + newMaster + " in "
                + switchMs + " ms; acknowledged writes " + acked.size() + ", missing after failover " + missing);
            synchronized (ackedAfterFailover) {
                assertThat(ackedAfterFailover).isNotEmpty();
            }

            final RedisClient lettuce = RedisClient.create(RedisURI.Builder.sentinel("127.0.0.5",
                sentinels.get(0).port(), MASTER).build());
            try (StatefulRedisConnection<String, String> conn = lettuce.connect()) {
                assertThat(conn.sync().set("lettuce", "via-sentinel")).isEqualTo("OK");
                assertThat(conn.sync().info("server")).contains("tcp_port:" + newPort);
            } finally {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }

            // the old master comes back and is converted into a replica of the new one
            redis("127.0.0.2", mp);
            Await.until("the old master to become a replica of " + newMaster, () -> {
                try (RespClient c = RespClient.connect(mp)) {
                    final String role = text(c.call("ROLE"));
                    return role.contains("slave") && role.contains(Integer.toString(newPort))
                        && role.contains("connected");
                } catch (RuntimeException e) {
                    return false;
                }
            }, AGREE);
        }
        // every sentinel persisted what it learnt
        for (final NodeProcess s : sentinels) {
            try (RespClient c = s.client()) {
                assertThat(text(c.call("SENTINEL", "FLUSHCONFIG"))).isEqualTo("+OK\r\n");
            }
        }
    }
}
