package dev.cinnabar.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

/**
 * Our sentinel among real ones: real redis-server processes (a master and two replicas on 127.0.0.2-4) watched by
 * two real redis-sentinel processes (127.0.0.5-6) and our sentinel (127.0.0.7), all on loopback, every process
 * stopped by its PID. Skipped when redis-server or redis-sentinel is not installed.
 *
 * <ol>
 * <li>Discovery both ways: the real sentinels see ours through hello messages, ours sees them and the replicas.</li>
 * <li>A failover led by the real sentinels after kill -9 of the master (ours only votes): ours follows the new
 *     configuration and agrees on the new master.</li>
 * <li>The old master restarted is converted to a replica of the new one.</li>
 * <li>A failover led by ours (the real sentinels do not see the master down, they only vote for us): the real
 *     servers are reconfigured by our promotion and SLAVEOF transactions and the real sentinels follow us.</li>
 * </ol>
 */
@Timeout(180)
class RealRedisInteropTest {
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final Path REDIS_SENTINEL = Path.of("/usr/bin/redis-sentinel");
    private static final String M = "127.0.0.2";
    private static final String R1 = "127.0.0.3";
    private static final String R2 = "127.0.0.4";
    private static final String S1 = "127.0.0.5";
    private static final String S2 = "127.0.0.6";
    private static final String OURS = "127.0.0.7";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private MiniSentinelServer ours;
    private int dataPort;
    private int sentinelPort;

    @AfterEach
    void stopAll() throws Exception {
        if (ours != null) {
            ours.close();
        }
        for (final Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private Process start(final String name, final List<String> cmd) throws IOException {
        final Process p = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
        processes.add(p);
        return p;
    }

    private Process redisServer(final String ip, final String replicaOf) throws IOException {
        final List<String> cmd = new ArrayList<>(List.of(SERVER.toString(), "--bind", ip, "--port",
            Integer.toString(dataPort), "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--replica-announce-ip", ip, "--logfile", ip + ".log"));
        if (replicaOf != null) {
            cmd.addAll(List.of("--replicaof", replicaOf, Integer.toString(dataPort)));
        }
        return start("redis-" + ip, cmd);
    }

    private void realSentinel(final String ip, final long downAfter, final int quorum) throws IOException {
        final Path conf = dir.resolve("sentinel-" + ip + ".conf");
        Files.writeString(conf, "bind " + ip + "\nport " + sentinelPort + "\nlogfile \"sentinel-" + ip + ".log\"\n"
            + "sentinel announce-ip " + ip + "\n"
            + "sentinel monitor mymaster " + M + " " + dataPort + " " + quorum + "\n"
            + "sentinel down-after-milliseconds mymaster " + downAfter + "\n"
            + "sentinel failover-timeout mymaster 10000\n");
        start("sentinel-" + ip, List.of(REDIS_SENTINEL.toString(), conf.toString()));
    }

    private static RespValue call(final String ip, final int port, final String... argv) throws IOException {
        try (RespConnection c = RespConnection.tcp(ip, port, 2000)) {
            return c.call(argv);
        }
    }

    private static RespValue tryCall(final String ip, final int port, final String... argv) {
        try {
            return call(ip, port, argv);
        } catch (IOException e) {
            return null;
        }
    }

    /** The master address a sentinel gives for mymaster, "ip:port", or null. */
    private String masterSeenBy(final String sentinelIp) {
        final RespValue r = tryCall(sentinelIp, sentinelPort, "SENTINEL", "get-master-addr-by-name", "mymaster");
        return r == null || r.size() != 2 ? null : r.get(0).string() + ":" + r.get(1).string();
    }

    private String infoField(final String ip, final String field) {
        final RespValue r = tryCall(ip, dataPort, "INFO", "replication");
        if (r == null || r.isError()) {
            return null;
        }
        for (final String line : r.string().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    private static void await(final String what, final long timeoutMs, final BooleanSupplier cond)
        throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
    }

    private String oursMaster() {
        try {
            return ours.onLoop(() -> {
                final SentinelAddr a = ours.sentinel.masterAddress("mymaster");
                return a.ip() + ":" + a.port();
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldFollowRealSentinelsAndLeadAFailoverOfRealServers() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SERVER) && Files.isExecutable(REDIS_SENTINEL),
            "real redis-server / redis-sentinel not installed (apt-get install redis-server redis-sentinel): "
                + "interop test skipped");
        dataPort = freePort();
        sentinelPort = freePort();
        final Process master = redisServer(M, null);
        redisServer(R1, M);
        redisServer(R2, M);
        await("replicas in sync", 15_000, () -> "up".equals(infoField(R1, "master_link_status"))
            && "up".equals(infoField(R2, "master_link_status")));

        // phase 1: the real sentinels detect quickly; ours practically never (it only votes and follows)
        realSentinel(S1, 2000, 2);
        realSentinel(S2, 2000, 2);
        final Path ourConf = dir.resolve("ours.conf");
        Files.writeString(ourConf, "port " + sentinelPort + "\n"
            + "sentinel monitor mymaster " + M + " " + dataPort + " 2\n"
            + "sentinel down-after-milliseconds mymaster 60000\n"
            + "sentinel failover-timeout mymaster 10000\n"
            + "sentinel announce-ip " + OURS + "\n");
        ours = new MiniSentinelServer(OURS, sentinelPort, ourConf);
        final String ourId = ours.onLoop(() -> ours.sentinel.myid());

        await("discovery in both directions", 30_000, () -> {
            final RespValue s1 = tryCall(S1, sentinelPort, "SENTINEL", "SENTINELS", "mymaster");
            final RespValue s2 = tryCall(S2, sentinelPort, "SENTINEL", "SENTINELS", "mymaster");
            final boolean realsSeeUs = s1 != null && s2 != null && s1.toString().contains(ourId)
                && s2.toString().contains(ourId);
            return realsSeeUs && ours.hasEvent("+sentinel sentinel") && ours.events.stream()
                .filter(e -> e.startsWith("+sentinel ")).count() == 2
                && ours.events.stream().filter(e -> e.startsWith("+slave ")).count() == 2;
        });
        assertThat(call(S1, sentinelPort, "SENTINEL", "CKQUORUM", "mymaster").string())
            .isEqualTo("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
        assertThat(call(OURS, sentinelPort, "SENTINEL", "CKQUORUM", "mymaster").string())
            .isEqualTo("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
        assertThat(call(OURS, sentinelPort, "SENTINEL", "MASTER", "mymaster").toString())
            .contains("BULK num-slaves, BULK 2", "BULK num-other-sentinels, BULK 2");

        master.destroyForcibly();
        master.waitFor();
        await("all three sentinels agree on a promoted replica", 40_000, () -> {
            final String a = masterSeenBy(S1);
            final String b = masterSeenBy(S2);
            final String c = oursMaster();
            return a != null && a.equals(b) && a.equals(c) && !a.startsWith(M + ":");
        });
        final String firstNew = oursMaster();
        final String firstNewIp = firstNew.substring(0, firstNew.indexOf(':'));
        final String otherReplica = firstNewIp.equals(R1) ? R2 : R1;
        assertThat(ours.hasEvent("+switch-master mymaster " + M + " " + dataPort + " " + firstNewIp)).isTrue();
        assertThat(ours.hasEvent("+config-update-from sentinel")).isTrue();
        assertThat(infoField(firstNewIp, "role")).isEqualTo("master");
        await("the other replica follows the new master", 20_000,
            () -> firstNewIp.equals(infoField(otherReplica, "master_host")));

        // phase 2: the old master comes back empty and is turned into a replica of the new one
        redisServer(M, null);
        await("old master converted to a replica", 40_000, () -> "slave".equals(infoField(M, "role"))
            && firstNewIp.equals(infoField(M, "master_host")));

        // phase 3: now ours detects fast and alone (quorum 1); the real sentinels only vote for it
        for (final String s : List.of(S1, S2)) {
            assertThat(call(s, sentinelPort, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "120000")
                .string()).isEqualTo("OK");
        }
        assertThat(call(OURS, sentinelPort, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "2000",
            "quorum", "1").string()).isEqualTo("OK");
        await("old master in sync", 20_000, () -> "up".equals(infoField(M, "master_link_status")));
        await("our view of the replicas is fresh", 15_000, () -> {
            try {
                return ours.onLoop(() -> ReplicaSelector.candidates(ours.sentinel.master("mymaster"),
                    System.currentTimeMillis(), ours.sentinel.timings).size() == 2);
            } catch (Exception e) {
                return false;
            }
        });
        final Process newMaster = processes.get(firstNewIp.equals(R1) ? 1 : 2);
        newMaster.destroyForcibly();
        newMaster.waitFor();
        await("our sentinel leads a failover and everybody follows", 60_000, () -> {
            final String c = oursMaster();
            return !c.equals(firstNew) && c.equals(masterSeenBy(S1)) && c.equals(masterSeenBy(S2))
                && ours.hasEvent("+switch-master mymaster " + firstNewIp);
        });
        assertThat(ours.hasEvent("+elected-leader master mymaster " + firstNewIp)).isTrue();
        assertThat(ours.hasEvent("+promoted-slave")).isTrue();
        assertThat(ours.hasEvent("+failover-end")).isTrue();
        final String secondNew = oursMaster();
        final String secondNewIp = secondNew.substring(0, secondNew.indexOf(':'));
        final String follower = secondNewIp.equals(M) ? otherReplica : M;
        assertThat(infoField(secondNewIp, "role")).isEqualTo("master");
        await("the remaining replica was reconfigured by our SLAVEOF", 20_000,
            () -> secondNewIp.equals(infoField(follower, "master_host"))
                && "up".equals(infoField(follower, "master_link_status")));
        // the real sentinels took our configuration (the epoch we won) from our hello messages
        final long epoch = ours.onLoop(() -> ours.sentinel.master("mymaster").configEpoch());
        assertThat(epoch).isGreaterThanOrEqualTo(2);
        final RespValue s1Master = call(S1, sentinelPort, "SENTINEL", "MASTER", "mymaster");
        assertThat(s1Master.toString()).contains("BULK config-epoch, BULK " + epoch);
        final String savedConf = Files.readString(ourConf);
        assertThat(savedConf).contains("sentinel monitor mymaster " + secondNewIp + " " + dataPort + " 1",
            "sentinel config-epoch mymaster " + epoch, "sentinel known-sentinel mymaster ");
    }
}
