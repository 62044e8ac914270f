package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
import redis.clients.jedis.Jedis;

/**
 * The wire protocol both ways with the real redis-server 7.0: a real replica of a Cinnabar master,
 * and a Cinnabar replica of a real master, each through a full sync, the command stream and a
 * partial resync after a dropped link, the data compared key by key; and the master's client on
 * a replica compared with a real replica's. Skipped (with the install hint) when redis-server is
 * not installed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class RealRedisInteropIT {
    /** CLIENT LIST fields compared as they are; the others only by name and position. */
    private static final Set<String> COMPARED = Set.of("addr", "name", "flags", "db", "sub", "psub", "ssub", "multi",
        "multi-mem", "oll", "omem", "events", "cmd", "user", "redir", "resp");

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

    /**
     * A stream (Cinnabar has no stream commands and keeps one as Redis's bytes) crosses a Cinnabar replica by full
     * sync and reaches a real replica of that replica unchanged: entries, the consumer group and its pending entries.
     */
    @Test
    void aStreamCrossesACinnabarReplicaUnchanged() {
        final NodeProcess master = nodes.redis("--repl-diskless-sync-delay", "0");
        for (int i = 1; i <= 50; i++) {
            call(master, "XADD", "events", i + "-0", "n", Integer.toString(i));
        }
        call(master, "XGROUP", "CREATE", "events", "workers", "0");
        call(master, "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "3", "STREAMS", "events", ">");
        final NodeProcess ours = nodes.replicaOf(master, "--repl-diskless-sync-delay", "0");
        Replicas.awaitInSync(master, ours);
        assertThat(call(ours, "TYPE", "events")).isEqualTo("+stream\r\n");
        final NodeProcess theirs = nodes.redis("--replicaof", "127.0.0.1", Integer.toString(ours.port()));
        Replicas.awaitInSync(ours, theirs);
        assertThat(call(theirs, "XINFO", "STREAM", "events", "FULL"))
            .isEqualTo(call(master, "XINFO", "STREAM", "events", "FULL")).contains("alice");
        assertThat(call(theirs, "XLEN", "events")).isEqualTo(":50\r\n");
    }

    /**
     * The master's client on a replica, as CLIENT LIST, CLIENT KILL and INFO clients show it: a
     * real replica and a Cinnabar replica of the same real master give the same answers (CLIENT
     * LIST fields that vary by process, such as ids, ports, ages and buffer sizes, normalized).
     */
    @Test
    void theMasterLinkIsAClientOfTheReplicaAsInRedis() {
        // no PING from the master during the test: the link's last command stays the SET below
        final NodeProcess master = nodes.redis("--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600");
        final NodeProcess theirs = nodes.redis("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        final NodeProcess mine = nodes.replicaOf(master);
        Replicas.awaitInSync(master, theirs, mine);
        try (var m = master.client()) {
            m.call("SELECT", "3");
            m.call("SET", "k", "v");
        }
        Replicas.awaitInSync(master, theirs, mine);
        assertThat(observe(mine, master)).isEqualTo(observe(theirs, master));
    }

    /**
     * What the replica says about its master's client, then after the link is killed three ways;
     * asked on one connection, so no closing client of an earlier question is counted.
     */
    private static List<String> observe(final NodeProcess replica, final NodeProcess master) {
        final List<String> out = new ArrayList<>();
        try (RespClient c = replica.client()) {
            final Function<String[], String> ask = argv -> new String(c.call(argv), StandardCharsets.ISO_8859_1);
            final String line = masterLine(ask);
            out.add("CLIENT LIST TYPE master: " + normalize(line));
            out.add("one line: " + (line.indexOf('\n') == line.length() - 1));
            out.add("in CLIENT LIST: " + ask.apply(args("CLIENT LIST")).contains(" flags=M "));
            out.add("in TYPE normal: " + ask.apply(args("CLIENT LIST TYPE normal")).contains(" flags=M "));
            out.add("in TYPE replica: " + ask.apply(args("CLIENT LIST TYPE replica")).contains(" flags=M "));
            out.add("INFO clients: " + ask.apply(args("INFO clients")).lines()
                .filter(l -> l.startsWith("connected_clients:")).toList());
            final String id = field(line, "id");
            out.add("CLIENT LIST ID: " + normalize(bulkText(ask.apply(args("CLIENT LIST ID " + id)))));
            for (final String kill : List.of("TYPE normal", "USER default", "TYPE master", "ID " + id,
                "ADDR 127.0.0.1:" + master.port(), "127.0.0.1:" + master.port())) {
                final String label = kill.startsWith("ID ") ? "ID (its id)" : kill;
                out.add("CLIENT KILL " + label + ": " + ask.apply(args("CLIENT KILL " + kill)).strip());
                Replicas.awaitInSync(master, replica);
                Await.until(replica + " lists its master's client", () -> masterLine(ask).contains(" flags=M "),
                    Replicas.SYNC_TIMEOUT);
                final String now = masterLine(ask);
                out.add("the same client: " + field(now, "id").equals(id) + ", " + normalize(now));
            }
        }
        return out;
    }

    private static String[] args(final String words) {
        return words.split(" ");
    }

    /** CLIENT LIST TYPE master's line. */
    private static String masterLine(final Function<String[], String> ask) {
        return bulkText(ask.apply(args("CLIENT LIST TYPE master")));
    }

    private static String bulkText(final String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    private static String field(final String line, final String name) {
        for (final String kv : line.strip().split(" ")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String normalize(final String reply) {
        final StringBuilder sb = new StringBuilder();
        for (final String kv : reply.strip().split(" ")) {
            final int eq = kv.indexOf('=');
            final String name = eq < 0 ? kv : kv.substring(0, eq);
            sb.append(COMPARED.contains(name) ? kv : name + "=*").append(' ');
        }
        return sb.toString().strip();
    }
}
