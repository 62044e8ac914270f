package dev.cinnabar.it.failover;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import dev.cinnabar.it.support.TcpRelay;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSentinelPool;

/**
 * The Redis Sentinel tutorial's topology on loopback: a master and two replicas on 127.0.0.2-4, three
 * sentinels (quorum 2) on 127.0.0.5-7, every node a separate process on its own port, all of one
 * kind: Cinnabar or real Redis 7.0. Every process is stopped by PID on close.
 *
 * <p>A partitionable fleet puts a {@link TcpRelay} on the master's address (127.0.0.2): the
 * master itself listens on 127.0.0.1 only, where clients reach it whatever the proxy does, while its
 * replicas and the sentinels know it by 127.0.0.2 (its replica-announce-ip).
 *
 * <p>Every data node starts on a config file of its own, as in the tutorial's docker-compose: the sentinels'
 * CONFIG REWRITE (after SLAVEOF, and Cinnabar sentinels' start fence) writes there, and a restart reads it back.
 *
 * <p>A secured fleet ({@link Secrets}) gives every data node and every sentinel the same extra
 * arguments or config lines (passwords, ACL users), and the fleet's own calls authenticate.
 */
final class Fleet implements AutoCloseable {
    static final String MASTER = "mymaster";
    private static final Path ROOT = Path.of(System.getProperty("cinnabar.root", "..")).toAbsolutePath().normalize();
    private static final Duration READY = Duration.ofSeconds(60);

    /** Which servers and which sentinels: all of one kind, or the two mixed fleets. */
    enum Kind {
        CINNABAR(true, true), REDIS(false, false),
        CINNABAR_SERVERS_REDIS_SENTINELS(true, false), REDIS_SERVERS_CINNABAR_SENTINELS(false, true);

        final boolean cinnabarServers;
        final boolean cinnabarSentinels;

        Kind(final boolean cinnabarServers, final boolean cinnabarSentinels) {
            this.cinnabarServers = cinnabarServers;
            this.cinnabarSentinels = cinnabarSentinels;
        }
    }

    /**
     * Extra arguments for every data node, extra lines for every sentinel's config (after its
     * tutorial lines, so they may name the master), and the default user's password on each side
     * (null: none), which the fleet's own calls use.
     */
    record Secrets(List<String> dataArgs, String dataPassword, List<String> sentinelLines, String sentinelPassword) {
        static final Secrets NONE = new Secrets(List.of(), null, List.of(), null);
    }

    final Kind kind;
    private final Secrets secrets;
    final List<NodeProcess> data = new ArrayList<>();
    final List<NodeProcess> sentinels = new ArrayList<>();
    private final List<List<String>> sentinelCommands = new ArrayList<>();
    private final List<String[]> dataNodeArgs = new ArrayList<>();
    private final List<Path> dataNodeConfigs = new ArrayList<>();
    /** The master's network when partitionable, else null. */
    TcpRelay proxy;

    /** {@code dataArgs}: more arguments for every data node (e.g. min-replicas-to-write). */
    Fleet(final Kind kind, final int downAfterMs, final int failoverTimeoutMs, final String... dataArgs)
        throws Exception {
        this(kind, downAfterMs, failoverTimeoutMs, false, Secrets.NONE, dataArgs);
    }

    Fleet(final Kind kind, final int downAfterMs, final int failoverTimeoutMs, final boolean partitionable,
          final String... dataArgs) throws Exception {
        this(kind, downAfterMs, failoverTimeoutMs, partitionable, Secrets.NONE, dataArgs);
    }

    /** A fleet with passwords (or anything else) on every node. */
    Fleet(final Kind kind, final int downAfterMs, final int failoverTimeoutMs, final Secrets secrets) throws Exception {
        this(kind, downAfterMs, failoverTimeoutMs, false, secrets);
    }

    private Fleet(final Kind kind, final int downAfterMs, final int failoverTimeoutMs, final boolean partitionable,
                  final Secrets secrets, final String... dataArgs) throws Exception {
        this.kind = kind;
        this.secrets = secrets;
        if (!kind.cinnabarServers) {
            RealRedis.assumeInstalled();
        }
        if (!kind.cinnabarSentinels) {
            RealRedis.sentinel();
        }
        try {
            start(downAfterMs, failoverTimeoutMs, partitionable, dataArgs);
        } catch (Exception | AssertionError e) {
            close(); // a fleet that never became ready leaves no process behind
            throw e;
        }
    }

    /** Starts the nodes (and the proxy) and sentinels, and waits until every sentinel sees the whole fleet. */
    private void start(final int downAfterMs, final int failoverTimeoutMs, final boolean partitionable,
                       final String... dataArgs) throws Exception {
        final String[] dataIps = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
        for (int i = 0; i < dataIps.length; i++) {
            final List<String> args = new ArrayList<>();
            if (!(partitionable && i == 0)) {
                args.addAll(List.of("--bind", dataIps[i], "127.0.0.1"));
            }
            args.addAll(List.of("--replica-announce-ip", dataIps[i], "--repl-diskless-sync-delay", "0",
                "--enable-debug-command", "yes"));
            if (i > 0) {
                args.addAll(List.of("--replicaof", dataIps[0], Integer.toString(data.get(0).port())));
            }
            args.addAll(secrets.dataArgs());
            args.addAll(List.of(dataArgs));
            final String[] a = args.toArray(new String[0]);
            dataNodeArgs.add(a);
            final Path conf = NodeProcess.newDirectory("data-conf").resolve("node.conf");
            Files.writeString(conf, "# data node " + i + ": the command line holds the rest\n");
            dataNodeConfigs.add(conf);
            data.add(startData(FreePort.next(), i));
            if (partitionable && i == 0) {
                // the replicas (next) and the sentinels reach the master through the proxy only
                proxy = TcpRelay.on(dataIps[0], data.get(0).port(), data.get(0).port());
            }
        }
        for (final String ip : new String[] {"127.0.0.5", "127.0.0.6", "127.0.0.7"}) {
            final int port = FreePort.next();
            final Path conf = NodeProcess.newDirectory("sentinel-conf").resolve("sentinel.conf");
            final List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind " + ip + " 127.0.0.1",
                "sentinel announce-ip " + ip,
                "sentinel monitor " + MASTER + " " + dataIps[0] + " " + data.get(0).port() + " 2",
                "sentinel down-after-milliseconds " + MASTER + " " + downAfterMs,
                "sentinel failover-timeout " + MASTER + " " + failoverTimeoutMs,
                "sentinel parallel-syncs " + MASTER + " 1"));
            lines.addAll(secrets.sentinelLines());
            Files.writeString(conf, String.join("\n", lines) + "\n");
            final List<String> cmd = kind.cinnabarSentinels
                ? List.of(ROOT.resolve("bin/cinnabar-sentinel").toString(), conf.toString())
                : List.of(RealRedis.sentinel(), conf.toString());
            sentinelCommands.add(cmd);
            sentinels.add(NodeProcess.launch("sentinel-" + ip, port, cmd));
        }
        final String master = dataIps[0] + ":" + data.get(0).port();
        for (final NodeProcess s : sentinels) {
            Await.until(s.name() + " to see 2 replicas, 3 sentinels, no TILT", () -> {
                try (RespClient c = client(s)) {
                    final String info = text(c.call("INFO", "sentinel"));
                    return info.contains("status=ok,address=" + master + ",slaves=2,sentinels=3")
                        && info.contains("sentinel_tilt:0\r\n");
                }
            }, READY);
        }
    }

    static String text(final byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** A new connection to one of the fleet's nodes, authenticated when the fleet is secured. */
    RespClient client(final NodeProcess n) {
        return n.client().auth(password(n));
    }

    private String password(final NodeProcess n) {
        return sentinels.contains(n) ? secrets.sentinelPassword() : secrets.dataPassword();
    }

    /** The master's port as sentinel {@code i} reports it, or -1 when it does not answer. */
    int masterPortSeenBy(final int i) {
        final NodeProcess s = sentinels.get(i);
        try (RespClient c = RespClient.connect(s.port(), Duration.ofSeconds(2)).auth(password(s))) {
            final String[] p = text(c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)).split("\r\n");
            return p.length >= 5 ? Integer.parseInt(p[4]) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The master's port when every one of {@code sentinels} (indexes) reports the same one, else -1. */
    int agreedMaster(final int... sentinels) {
        int port = -1;
        for (final int i : sentinels) {
            final int p = masterPortSeenBy(i);
            if (p <= 0 || port > 0 && p != port) {
                return -1;
            }
            port = p;
        }
        return port;
    }

    /** Whether {@code node} says (ROLE) it replicates the master on {@code masterPort}, link up. */
    boolean replicates(final NodeProcess node, final int masterPort) {
        try (RespClient c = client(node)) {
            final String role = text(c.call("ROLE"));
            return role.contains("slave") && role.contains(Integer.toString(masterPort)) && role.contains("connected");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A Jedis pool that finds the master through the fleet's sentinels, with the fleet's passwords. */
    JedisSentinelPool jedisPool() {
        final Set<HostAndPort> addresses = new HashSet<>();
        for (final NodeProcess s : sentinels) {
            addresses.add(new HostAndPort("127.0.0.1", s.port()));
        }
        return new JedisSentinelPool(MASTER, addresses,
            DefaultJedisClientConfig.builder().password(secrets.dataPassword()).build(),
            DefaultJedisClientConfig.builder().password(secrets.sentinelPassword()).build());
    }

    /** The data node listening on {@code port}. */
    NodeProcess dataNode(final int port) {
        return data.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** The sum of INFO stats sync_full over the data nodes: full resyncs served so far. */
    long fullSyncs() {
        long sum = 0;
        for (final NodeProcess n : data) {
            try (RespClient c = client(n)) {
                for (final String line : text(c.call("INFO", "stats")).split("\r\n")) {
                    if (line.startsWith("sync_full:")) {
                        sum += Long.parseLong(line.substring(10));
                    }
                }
            }
        }
        return sum;
    }

    private NodeProcess startData(final int port, final int i) {
        final Path conf = dataNodeConfigs.get(i);
        final String[] a = dataNodeArgs.get(i);
        return kind.cinnabarServers ? ServerProcess.startWithConfig(port, conf, a)
            : RealRedis.startWithConfig(port, conf, a);
    }

    /**
     * Starts data node {@code i} again where it was, on its config file (as the sentinels' CONFIG REWRITE left it)
     * and the arguments it started with (its old config).
     */
    void restartData(final int i) {
        data.set(i, startData(data.get(i).port(), i));
    }

    /** Data node {@code i}'s config file, as it is now. */
    String dataConfig(final int i) {
        try {
            return Files.readString(dataNodeConfigs.get(i));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops sentinel {@code i} and starts it again on its own (rewritten) config file. */
    void restartSentinel(final int i) {
        final NodeProcess old = sentinels.get(i);
        old.close();
        sentinels.set(i, NodeProcess.launch(old.name(), old.port(), sentinelCommands.get(i)));
    }

    /** kill -STOP / -CONT. */
    static void signal(final NodeProcess n, final String signal) {
        Exec.run(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(n.pid()));
    }

    @Override
    public void close() {
        for (final NodeProcess n : data) {
            if (n.alive()) {
                signal(n, "CONT");
            }
        }
        sentinels.forEach(NodeProcess::close);
        data.forEach(NodeProcess::close);
        if (proxy != null) {
            proxy.close();
        }
    }
}
