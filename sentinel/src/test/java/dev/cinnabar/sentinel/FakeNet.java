package dev.cinnabar.sentinel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.cinnabar.protocol.client.RespValue;

/**
 * A simulated network for sentinel tests: every connection the sentinel opens lands here, commands are recorded,
 * and {@link #pump()} answers them from the simulated node at the address (nodes that are down stay silent).
 * Nodes are data nodes ({@link DataNode}) or peer sentinels ({@link PeerSentinel}); both are plain state tests
 * change directly.
 */
final class FakeNet implements LinkConnector {
    final List<Conn> connections = new ArrayList<>();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Every command sent, as "ip:port CMD arg ...". */
    final List<String> log = new ArrayList<>();

    static RespValue simple(final String s) {
        return RespValue.text(RespValue.Type.SIMPLE, s.getBytes(StandardCharsets.UTF_8));
    }

    static RespValue bulk(final String s) {
        return RespValue.text(RespValue.Type.BULK, s.getBytes(StandardCharsets.UTF_8));
    }

    static RespValue error(final String s) {
        return RespValue.text(RespValue.Type.ERROR, s.getBytes(StandardCharsets.UTF_8));
    }

    static RespValue array(final RespValue... items) {
        return RespValue.aggregate(RespValue.Type.ARRAY, Arrays.asList(items));
    }

    /** Something that answers commands. */
    abstract static class Node {
        final String ip;
        final int port;
        /** A down node accepts connections but never answers (a SIGSTOPped process). */
        boolean down;
        /** A refusing node makes connection attempts fail at once (a dead process). */
        boolean refusing;
        /** Leaves INFO unanswered while it answers everything else (a starved process, late with big replies). */
        boolean holdInfo;
        final List<List<String>> received = new ArrayList<>();

        Node(final String ip, final int port) {
            this.ip = ip;
            this.port = port;
        }

        String addr() {
            return ip + ":" + port;
        }

        abstract RespValue answer(List<String> argv);
    }

    /** A redis-server: INFO replication from its state; SLAVEOF in a MULTI changes its role at EXEC. */
    final class DataNode extends Node {
        /** A new one is a restart. */
        String runid;
        String masterHost;
        int masterPort;
        boolean linkUp = true;
        /** Accepts SLAVEOF but keeps following its current master (a misbehaving or too slow node). */
        boolean ignoreSlaveOf;
        int priority = 100;
        long offset = 100;
        /** A Cinnabar master's INFO cinnabar_fence value, or null for a Redis server (no such line). */
        String fence;
        /** A Cinnabar node's cinnabar-start-fenced-ms (INFO, CONFIG SET), or null for a Redis server. */
        Long startFencedMs;
        /** CONFIG SET cinnabar-start-fenced-ms answers an error (an older Cinnabar, a refusing ACL). */
        boolean refuseStartFence;
        /** Started without a config file: a CONFIG REWRITE outside a transaction answers an error. */
        boolean noConfigFile;
        /** CLIENT PAUSE WRITE is on: as in Redis, a PUBLISH waits, and everything after it on its connection. */
        boolean writesPaused;
        final List<DataNode> replicas = new ArrayList<>();
        private List<String> queuedSlaveOf;

        DataNode(final String ip, final int port, final String runid) {
            super(ip, port);
            this.runid = runid;
        }

        boolean isMaster() {
            return masterHost == null;
        }

        void replicaOf(final DataNode m) {
            masterHost = m.ip;
            masterPort = m.port;
            if (!m.replicas.contains(this)) {
                m.replicas.add(this);
            }
        }

        @Override
        RespValue answer(final List<String> argv) {
            final String cmd = argv.get(0).toUpperCase();
            switch (cmd) {
                case "PING":
                    return simple("PONG");
                case "INFO":
                    return bulk(info());
                case "PUBLISH":
                    return RespValue.integer(1);
                case "MULTI":
                    return simple("OK");
                case "SLAVEOF":
                    queuedSlaveOf = argv;
                    return simple("QUEUED");
                case "CONFIG":
                    return config(argv);
                case "CLIENT":
                    if (argv.get(1).equalsIgnoreCase("PAUSE")) {
                        writesPaused = argv.size() < 4 || argv.get(3).equalsIgnoreCase("WRITE");
                    } else if (argv.get(1).equalsIgnoreCase("UNPAUSE")) {
                        writesPaused = false;
                    }
                    return argv.size() > 2 && argv.get(1).equalsIgnoreCase("KILL") ? simple("QUEUED")
                        : simple("OK");
                case "EXEC":
                    if (queuedSlaveOf != null && !ignoreSlaveOf) {
                        applySlaveOf(queuedSlaveOf);
                        queuedSlaveOf = null;
                    }
                    return array(simple("OK"), simple("OK"), RespValue.integer(0), RespValue.integer(0));
                default:
                    return simple("OK");
            }
        }

        private RespValue config(final List<String> argv) {
            if (queuedSlaveOf != null) {
                return simple("QUEUED"); // CONFIG REWRITE in the SLAVEOF transaction
            }
            if (argv.get(1).equalsIgnoreCase("SET") && argv.get(2).equals("cinnabar-start-fenced-ms")) {
                if (startFencedMs == null || refuseStartFence) {
                    return error("ERR Unknown option or number of arguments for CONFIG SET - '" + argv.get(2) + "'");
                }
                startFencedMs = Long.parseLong(argv.get(3));
            }
            if (argv.get(1).equalsIgnoreCase("REWRITE") && noConfigFile) {
                return error("ERR The server is running without a config file");
            }
            return simple("OK");
        }

        private void applySlaveOf(final List<String> argv) {
            for (final Node n : nodes.values()) {
                if (n instanceof DataNode d) {
                    d.replicas.remove(this);
                }
            }
            if (argv.get(1).equalsIgnoreCase("NO")) {
                masterHost = null;
            } else {
                masterHost = argv.get(1);
                masterPort = Integer.parseInt(argv.get(2));
                final Node m = nodes.get(masterHost + ":" + masterPort);
                if (m instanceof DataNode dm) {
                    dm.replicas.add(this);
                }
            }
        }

        String info() {
            final StringBuilder sb = new StringBuilder("# Server\r\nredis_version:7.0.15\r\nrun_id:").append(runid)
                .append("\r\ntcp_port:").append(port).append("\r\n\r\n# Replication\r\n");
            if (isMaster()) {
                sb.append("role:master\r\nconnected_slaves:").append(replicas.size()).append("\r\n");
                for (int i = 0; i < replicas.size(); i++) {
                    final DataNode r = replicas.get(i);
                    sb.append("slave").append(i).append(":ip=").append(r.ip).append(",port=").append(r.port)
                        .append(",state=online,offset=").append(r.offset).append(",lag=0\r\n");
                }
                sb.append("master_repl_offset:").append(offset).append("\r\n");
                if (fence != null) {
                    sb.append("cinnabar_fence:").append(fence).append("\r\n");
                }
                startFenceLine(sb);
            } else {
                sb.append("role:slave\r\nmaster_host:").append(masterHost).append("\r\nmaster_port:")
                    .append(masterPort).append("\r\nmaster_link_status:").append(linkUp ? "up" : "down")
                    .append("\r\nmaster_last_io_seconds_ago:1\r\nmaster_sync_in_progress:0\r\n")
                    .append("slave_read_repl_offset:").append(offset).append("\r\nslave_repl_offset:").append(offset)
                    .append("\r\nslave_priority:").append(priority).append("\r\nslave_read_only:1\r\n")
                    .append("replica_announced:1\r\nconnected_slaves:0\r\n");
                if (!linkUp) {
                    sb.append("master_link_down_since_seconds:5\r\n");
                }
                startFenceLine(sb);
            }
            return sb.toString();
        }

        private void startFenceLine(final StringBuilder sb) {
            if (startFencedMs != null) {
                sb.append("cinnabar_start_fenced_ms:").append(startFencedMs).append("\r\n");
            }
        }
    }

    /** Another sentinel: answers is-master-down-by-addr with its opinion and vote. */
    final class PeerSentinel extends Node {
        final String runid;
        boolean thinksDown;
        /** Whom it votes for when asked (null: answers "*", no vote). */
        String votesFor;
        long voteEpoch;

        PeerSentinel(final String ip, final int port, final String runid) {
            super(ip, port);
            this.runid = runid;
        }

        @Override
        RespValue answer(final List<String> argv) {
            if (argv.get(0).equalsIgnoreCase("SENTINEL")) {
                final String asker = argv.get(5);
                String leader = "*";
                long epoch = 0;
                if (!asker.equals("*")) {
                    final long req = Long.parseLong(argv.get(4));
                    if (votesFor == null && req > voteEpoch) {
                        votesFor = asker;
                        voteEpoch = req;
                    }
                    leader = votesFor == null ? "*" : votesFor;
                    epoch = voteEpoch;
                }
                return array(RespValue.integer(thinksDown ? 1 : 0), bulk(leader), RespValue.integer(epoch));
            }
            if (argv.get(0).equalsIgnoreCase("PING")) {
                return simple("PONG");
            }
            return argv.get(0).equalsIgnoreCase("PUBLISH") ? RespValue.integer(1) : simple("OK");
        }
    }

    DataNode data(final String ip, final int port, final String runid) {
        final DataNode n = new DataNode(ip, port, runid);
        nodes.put(n.addr(), n);
        return n;
    }

    PeerSentinel peer(final String ip, final int port, final String runid) {
        final PeerSentinel n = new PeerSentinel(ip, port, runid);
        nodes.put(n.addr(), n);
        return n;
    }

    /** One connection the sentinel opened. */
    final class Conn implements LinkConnection {
        final String ip;
        final int port;
        final Runnable onLost;
        final ArrayDeque<Object[]> pending = new ArrayDeque<>();
        Consumer<RespValue> subscription;
        boolean closed;

        Conn(final String ip, final int port, final Runnable onLost) {
            this.ip = ip;
            this.port = port;
            this.onLost = onLost;
        }

        @Override
        public void command(final Consumer<RespValue> onReply, final String... argv) {
            if (!closed) {
                pending.add(new Object[] {List.of(argv), onReply});
                log.add(ip + ":" + port + " " + String.join(" ", argv));
            }
        }

        @Override
        public void subscribe(final Consumer<RespValue> onMessage, final String... argv) {
            subscription = onMessage;
            command(onMessage, argv);
        }

        @Override
        public String localIp() {
            return "127.0.0.9";
        }

        @Override
        public void close() {
            closed = true;
            pending.clear();
        }

        /** The node dropped the connection. */
        void lose() {
            closed = true;
            pending.clear();
            onLost.run();
        }

        /** Pushes a pub/sub message to the subscription. */
        void message(final String channel, final String payload) {
            subscription.accept(array(bulk("message"), bulk(channel), bulk(payload)));
        }
    }

    @Override
    public LinkConnection connect(final String ip, final int port, final Runnable onLost) {
        final Node n = nodes.get(ip + ":" + port);
        if (n != null && n.refusing) {
            return null;
        }
        final Conn c = new Conn(ip, port, onLost);
        connections.add(c);
        return c;
    }

    /** Answers every pending command of every open connection to a node that is up. */
    void pump() {
        for (int round = 0; round < 4; round++) {
            for (final Conn c : new ArrayList<>(connections)) {
                final Node n = nodes.get(c.ip + ":" + c.port);
                if (c.closed || n == null || n.down) {
                    continue;
                }
                final List<Object[]> held = new ArrayList<>();
                while (!c.pending.isEmpty() && !c.closed) {
                    final Object[] p = c.pending.poll();
                    @SuppressWarnings("unchecked")
                    final List<String> argv = (List<String>) p[0];
                    @SuppressWarnings("unchecked")
                    final Consumer<RespValue> cb = (Consumer<RespValue>) p[1];
                    if (n.holdInfo && argv.get(0).equalsIgnoreCase("INFO")) {
                        held.add(p);
                        continue;
                    }
                    if (n instanceof DataNode d && d.writesPaused && argv.get(0).equalsIgnoreCase("PUBLISH")) {
                        c.pending.addFirst(p); // postponed: the connection reads nothing more until unpaused
                        break;
                    }
                    n.received.add(argv);
                    final RespValue r = argv.get(0).equalsIgnoreCase("SUBSCRIBE")
                        ? array(bulk("subscribe"), bulk(argv.get(1)), RespValue.integer(1)) : n.answer(argv);
                    cb.accept(r);
                }
                c.pending.addAll(held);
            }
        }
    }

    /** Open connections to {@code ip:port}. */
    List<Conn> open(final String ip, final int port) {
        final List<Conn> out = new ArrayList<>();
        for (final Conn c : connections) {
            if (!c.closed && c.ip.equals(ip) && c.port == port) {
                out.add(c);
            }
        }
        return out;
    }

    /** Commands received by the node at {@code addr} whose name is {@code cmd}. */
    List<List<String>> receivedBy(final Node n, final String cmd) {
        final List<List<String>> out = new ArrayList<>();
        for (final List<String> argv : n.received) {
            if (argv.get(0).equalsIgnoreCase(cmd)) {
                out.add(argv);
            }
        }
        return out;
    }
}
