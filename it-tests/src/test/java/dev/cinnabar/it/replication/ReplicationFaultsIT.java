package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.dataset;
import static dev.cinnabar.it.replication.Replicas.fill;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.jedis;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.TcpRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Replication under faults: a master killed with SIGKILL and restarted, a link cut in the middle
 * of an RDB transfer, a replica frozen with SIGSTOP past repl-timeout, and peers that send garbage
 * during the handshake. Each must end in a replica that holds exactly its master's data, or in a
 * clear error with the link down — never in a replica that silently diverged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class ReplicationFaultsIT {
    private static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final String ID = "0123456789abcdef0123456789abcdef01234567";
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static String port(final NodeProcess n) {
        return Integer.toString(n.port());
    }

    /** The values of the keys {@link #fill} wrote, fetched in batches: cheap to compare for many keys. */
    private static List<String> values(final NodeProcess n, final String prefix, final int count) {
        final List<String> out = new ArrayList<>(count);
        try (Jedis j = jedis(n)) {
            for (int i = 0; i < count; i += 1000) {
                final String[] keys = new String[Math.min(1000, count - i)];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = prefix + (i + k);
                }
                out.addAll(j.mget(keys));
            }
        }
        return out;
    }

    private static boolean linkUp(final NodeProcess replica) {
        return "up".equals(info(replica, "replication", "master_link_status"));
    }

    @Test
    void aMasterKilledAndRestartedEmptyIsFollowedAfterAFullResync() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);
        final String oldId = info(master, "replication", "master_replid");

        master.kill();
        Await.until("the replica sees its link down", () -> !linkUp(replica), RECOVERY);
        assertThat(call(replica, "GET", "before:str")).as("stale data is still served")
            .isEqualTo("$11\r\nJello world\r\n");
        assertThat(infoLong(replica, "replication", "master_link_down_since_seconds")).isGreaterThanOrEqualTo(0);

        // no dump file: the master comes back empty, with a new history the replica must adopt
        final NodeProcess restarted = nodes.cinnabarOn(master.port(), "--repl-diskless-sync-delay", "0");
        Await.until("the replica re-synced with the restarted master",
            () -> linkUp(replica) && !oldId.equals(info(replica, "replication", "master_replid")), RECOVERY);
        assertThat(dataset(replica)).as("the old data is gone, as on the master").isEmpty();
        assertThat(infoLong(restarted, "stats", "sync_full")).isEqualTo(1);
        assertThat(restarted.log()).contains("Partial resynchronization not accepted: Replication ID mismatch "
            + "(Replica asked for '" + oldId + "'");
        writeAndCompare(restarted, "after:", replica);
    }

    @Test
    void aLinkCutInTheMiddleOfTheRdbEndsInACompleteSecondSync() throws IOException {
        final int keys = 20_000;
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        fill(master, "k:", keys, 100);
        try (TcpRelay proxy = TcpRelay.cutFirstAfter(master.port(), 256 * 1024)) {
            final NodeProcess replica = nodes.cinnabar("--replicaof", "127.0.0.1", Integer.toString(proxy.port()));
            Await.until("the cut and a second connection", () -> proxy.cut() && proxy.connections() >= 2, RECOVERY);
            awaitInSync(master, replica);
            assertThat(replica.log()).contains("I/O error trying to sync with MASTER: connection lost");
            assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(2);
            assertThat(values(replica, "k:", keys)).isEqualTo(values(master, "k:", keys));
            try (Stream<Path> files = Files.list(replica.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).as("the partial RDB was removed")
                    .noneMatch(f -> f.startsWith("temp-"));
            }
            writeAndCompare(master, "after:", replica);
        }
    }

    @Test
    void aReplicaFrozenPastReplTimeoutIsDroppedAndContinuesWhenItWakes() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0", "--repl-timeout", "2");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);

        Nodes.signal(replica, "STOP");
        fill(master, "while-stopped:", 500, 10);
        Await.until("the master drops the silent replica",
            () -> infoLong(master, "replication", "connected_slaves") == 0, RECOVERY);
        assertThat(master.log()).contains("Disconnecting timedout replica (streaming sync): 127.0.0.1:" + port(replica));
        Nodes.signal(replica, "CONT");

        awaitInSync(master, replica);
        assertThat(dataset(replica)).isEqualTo(dataset(master));
        assertThat(infoLong(master, "stats", "sync_full")).isEqualTo(1);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).as("the backlog held what it missed").isEqualTo(1);
        writeAndCompare(master, "after:", replica);
    }

    @Test
    void aLyingMasterOnlyCostsRetriesAndTheReplicaRecoversWithARealOne() throws IOException {
        final byte[] badRdb = ("+FULLRESYNC " + ID + " 0\r\n$12\r\nnot-an-rdb!!").getBytes(StandardCharsets.US_ASCII);
        final byte[] binary = new byte[2048];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + 7);
        }
        // a demoted master offers its own history: the fake "continues" it, then streams garbage
        final List<FakeMasterPeer.Answer> script = List.of(
            FakeMasterPeer.Answer.toPing("hello, I am not redis\r\n"),
            FakeMasterPeer.Answer.toPsync("+FULLRESYNC not-an-id x\r\n".getBytes(StandardCharsets.US_ASCII)),
            FakeMasterPeer.Answer.toPsync(concat("+FULLRESYNC ".getBytes(StandardCharsets.US_ASCII), binary)),
            FakeMasterPeer.Answer.toPsync("+CONTINUE\r\n*abc\r\n".getBytes(StandardCharsets.US_ASCII)),
            FakeMasterPeer.Answer.toPsync(badRdb),
            FakeMasterPeer.Answer.toPsync("+CONTINUE\r\n".getBytes(StandardCharsets.US_ASCII)));
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.cinnabar();
        call(replica, "SET", "mine", "1");
        final String ownId = info(replica, "replication", "master_replid");
        try (FakeMasterPeer fake = new FakeMasterPeer(script)) {
            assertThat(call(replica, "REPLICAOF", "127.0.0.1", Integer.toString(fake.port()))).isEqualTo("+OK\r\n");
            Await.until("every lie told", () -> fake.received().size() == script.size(), RECOVERY);
            assertThat(fake.received().get(1)).contains("PSYNC\r\n$40\r\n" + ownId + "\r\n$1\r\n1\r\n");
            assertThat(fake.received().get(5)).as("after a failed full sync nothing is left to continue")
                .contains("PSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n");
            assertThat(call(replica, "PING")).isEqualTo("+PONG\r\n");
            assertThat(info(replica, "replication", "master_link_status")).isEqualTo("down");
            assertThat(replica.log()).contains(
                "Error reply to PING from master: 'hello, I am not redis'",
                "Master replied with wrong +FULLRESYNC syntax.",
                "Protocol error (",
                "Failed trying to load the MASTER synchronization DB from disk",
                "Master accepted a partial resynchronization we did not ask for: +CONTINUE");
            assertThat(infoLong(replica, "replication", "slave_repl_offset")).as("nothing applied from a liar")
                .isLessThanOrEqualTo(1);
        }
        assertThat(call(replica, "REPLICAOF", "127.0.0.1", port(master))).isEqualTo("+OK\r\n");
        writeAndCompare(master, "real:", replica);
        assertThat(call(replica, "EXISTS", "mine")).as("the real master's data only").isEqualTo(":0\r\n");
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void junkFromWouldBeReplicasIsRefusedAsRedisDoesAndHarmsNoRealReplica() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);
        final List<String[]> junk = List.of(
            new String[] {"REPLCONF", "listening-port", "not-a-port"}, new String[] {"REPLCONF", "capa"},
            new String[] {"REPLCONF", "rdb-only", "7"}, new String[] {"REPLCONF", "no-such-option", "x"},
            new String[] {"REPLCONF", "ip-address", "x".repeat(300)}, new String[] {"REPLCONF", "ack", "junk"},
            new String[] {"PSYNC", "?", "not-an-offset"}, new String[] {"PSYNC", "?"}, new String[] {"SYNC", "x"});
        if (RealRedis.installed()) {
            final NodeProcess redis = nodes.redis();
            for (final String[] argv : junk) {
                assertThat(raw(master, argv)).as(String.join(" ", argv)).isEqualTo(raw(redis, argv));
            }
        }
        // a would-be replica that sends garbage once it is attached: dropped, nothing else disturbed
        try (RespClient fake = master.client()) {
            fake.write(RespClient.encode(RespClient.argv("PSYNC", "?", "-1")));
            Await.until("the fake replica attached",
                () -> infoLong(master, "replication", "connected_slaves") == 2, RECOVERY);
            fake.write("*abc\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(fake.closedByPeer(RECOVERY)).isTrue();
        }
        Await.until("the fake replica gone", () -> infoLong(master, "replication", "connected_slaves") == 1, RECOVERY);
        Await.until("the loss logged",
            () -> master.log().contains("Connection with replica 127.0.0.1:<unknown-replica-port> lost."), RECOVERY);
        assertThat(call(master, "PING")).isEqualTo("+PONG\r\n");
        writeAndCompare(master, "after:", replica);
        assertThat(infoLong(master, "stats", "sync_partial_ok")).as("the real replica never lost its link").isZero();
    }

    /** The first reply on a fresh connection to {@code argv} followed by PING: +PONG when the command has none. */
    private static String raw(final NodeProcess n, final String... argv) {
        try (RespClient c = n.client()) {
            c.write(concat(RespClient.encode(RespClient.argv(argv)), RespClient.encode(RespClient.argv("PING"))));
            return new String(c.readReply(), StandardCharsets.ISO_8859_1);
        }
    }
}
