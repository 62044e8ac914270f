package dev.cinnabar.it.replication;

import static dev.cinnabar.it.replication.Replicas.awaitInSync;
import static dev.cinnabar.it.replication.Replicas.call;
import static dev.cinnabar.it.replication.Replicas.info;
import static dev.cinnabar.it.replication.Replicas.infoLong;
import static dev.cinnabar.it.replication.Replicas.writeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FAILOVER (coordinated failover, Redis 6.2+): the master pauses writes, waits for a replica to
 * acknowledge its whole stream, demotes itself and hands over with PSYNC ... FAILOVER; TIMEOUT,
 * FORCE and ABORT; and the same hand-off with a real redis-server on either side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class FailoverCommandIT {
    private static final Duration HANDOVER = Duration.ofSeconds(20);
    private final Nodes nodes = new Nodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private static String state(final NodeProcess n) {
        return info(n, "replication", "master_failover_state");
    }

    private static String port(final NodeProcess n) {
        return Integer.toString(n.port());
    }

    /** Waits until {@code oldMaster} replicates {@code newMaster} with its link up, the failover over. */
    private static void awaitHandedOver(final NodeProcess oldMaster, final NodeProcess newMaster) {
        Await.until("the hand-off from " + oldMaster + " to " + newMaster, () ->
            "master".equals(info(newMaster, "replication", "role"))
                && "no-failover".equals(state(oldMaster))
                && port(newMaster).equals(info(oldMaster, "replication", "master_port"))
                && "up".equals(info(oldMaster, "replication", "master_link_status")), HANDOVER);
    }

    /** A client's SET sent now, whose reply arrives when the master lets it run. */
    private static CompletableFuture<String> setInBackground(final NodeProcess n, final String key) {
        final CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> call(n, "SET", key, "v"));
        Await.until("the SET held by the pause", () -> call(n, "CLIENT", "LIST").contains("flags=b"), HANDOVER);
        return reply;
    }

    @Test
    void argumentAndStateErrorsAreRedissOwn() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        final NodeProcess redis = nodes.redis("--repl-diskless-sync-delay", "0");
        final NodeProcess redisReplica = nodes.redis("--replicaof", "127.0.0.1", port(redis));
        awaitInSync(master, replica);
        awaitInSync(redis, redisReplica);
        final List<List<String>> cases = List.of(
            List.of("FAILOVER", "ABORT"), List.of("FAILOVER", "abort", "abort"), List.of("FAILOVER", "TIMEOUT", "0"),
            List.of("FAILOVER", "TIMEOUT", "-5"), List.of("FAILOVER", "TIMEOUT", "x"), List.of("FAILOVER", "TIMEOUT"),
            List.of("FAILOVER", "TIMEOUT", "10", "TIMEOUT", "10"), List.of("FAILOVER", "TO"),
            List.of("FAILOVER", "TO", "127.0.0.1"), List.of("FAILOVER", "TO", "127.0.0.1", "port"),
            List.of("FAILOVER", "FORCE"), List.of("FAILOVER", "FORCE", "FORCE"), List.of("FAILOVER", "bogus"),
            List.of("FAILOVER", "TIMEOUT", "100", "FORCE"), List.of("FAILOVER", "TO", "127.0.0.1", "1", "FORCE"),
            List.of("FAILOVER", "TO", "127.0.0.1", "1"), List.of("FAILOVER", "TO", "127.0.0.1", "1", "TIMEOUT", "9"));
        for (final List<String> c : cases) {
            final String[] argv = c.toArray(new String[0]);
            assertThat(call(master, argv)).as(String.join(" ", c)).isEqualTo(call(redis, argv));
        }
        for (final String[] argv : List.of(new String[] {"FAILOVER"}, new String[] {"FAILOVER", "ABORT"},
            new String[] {"PSYNC", "abc", "1", "FAILOVER"}, new String[] {"COMMAND", "INFO", "FAILOVER"})) {
            assertThat(call(replica, argv)).as("replica: " + String.join(" ", argv))
                .isEqualTo(call(redisReplica, argv));
        }
        assertThat(call(master, "PSYNC", "abc", "x", "FAILOVER")).isEqualTo(call(redis, "PSYNC", "abc", "x", "FAILOVER"));
        assertThat(call(master, "FAILOVER")).isEqualTo("+OK\r\n");
        assertThat(call(master, "FAILOVER")).isEqualTo("-ERR FAILOVER already in progress.\r\n");
        assertThat(call(master, "REPLICAOF", "NO", "ONE")).isEqualTo("-ERR REPLICAOF not allowed while failing over.\r\n");
    }

    @Test
    void theTargetTakesOverAndTheOtherReplicaFollowsThroughTheOldMaster() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess r1 = nodes.replicaOf(master);
        final NodeProcess r2 = nodes.replicaOf(master);
        writeAndCompare(master, "before:", r1, r2);
        final String oldId = info(master, "replication", "master_replid");

        // the target is stopped and behind (replicas acknowledge each read of the stream), so the
        // pause lasts long enough to be seen
        Nodes.signal(r2, "STOP");
        assertThat(call(master, "SET", "behind", "1")).isEqualTo("+OK\r\n");
        assertThat(call(master, "FAILOVER", "TO", "127.0.0.1", port(r2))).isEqualTo("+OK\r\n");
        assertThat(state(master)).isEqualTo("waiting-for-sync");
        assertThat(master.log()).contains("FAILOVER requested to 127.0.0.1:" + r2.port() + ".");
        final CompletableFuture<String> held = setInBackground(master, "held");
        assertThat(call(master, "GET", "before:str")).as("reads go on").isEqualTo("$11\r\nJello world\r\n");
        Nodes.signal(r2, "CONT");

        awaitHandedOver(master, r2);
        assertThat(held.join()).as("a write held by the pause meets a replica")
            .isEqualTo("-READONLY You can't write against a read only replica.\r\n");
        assertThat(master.log()).contains("Failover target 127.0.0.1:" + r2.port() + " is synced, failing over.",
            "Trying a partial resynchronization (request " + oldId);
        assertThat(r2.log()).contains("Failover request received for replid " + oldId + ".",
            "MASTER MODE enabled (failover request from 'id=");
        assertThat(info(r2, "replication", "master_replid2")).isEqualTo(oldId);
        assertThat(infoLong(r2, "stats", "sync_full")).isZero();
        assertThat(infoLong(r2, "stats", "sync_partial_ok")).isEqualTo(1);
        assertThat(info(r1, "replication", "master_port")).as("r1 stays with the old master, now chained")
            .isEqualTo(port(master));

        writeAndCompare(r2, "after:", master, r1);
    }

    @Test
    void withoutATargetTheFirstReplicaToCatchUpTakesOver() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);
        assertThat(call(master, "FAILOVER", "TIMEOUT", "10000")).isEqualTo("+OK\r\n");
        awaitHandedOver(master, replica);
        assertThat(master.log()).contains("FAILOVER requested to any replica.");
        writeAndCompare(replica, "after:", master);
    }

    @Test
    void aTimeoutRollsBackUnlessForcedAndAbortUndoesAStuckHandOver() {
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);
        Nodes.signal(replica, "STOP");
        call(master, "SET", "unacked", "1");

        assertThat(call(master, "FAILOVER", "TO", "127.0.0.1", port(replica), "TIMEOUT", "2000")).isEqualTo("+OK\r\n");
        final CompletableFuture<String> held = setInBackground(master, "held-then-run");
        assertThat(held.join()).as("the rollback lets the held write run").isEqualTo("+OK\r\n");
        assertThat(state(master)).isEqualTo("no-failover");
        assertThat(info(master, "replication", "role")).isEqualTo("master");
        assertThat(master.log()).contains("FAILOVER to 127.0.0.1:" + replica.port()
            + " aborted: Replica never caught up before timeout");

        // FORCE: the hand-off starts at the deadline anyway; the stopped target never answers it
        assertThat(call(master, "FAILOVER", "TO", "127.0.0.1", port(replica), "TIMEOUT", "300", "FORCE"))
            .isEqualTo("+OK\r\n");
        Await.until("the forced hand-off", () -> "failover-in-progress".equals(state(master)), HANDOVER);
        assertThat(info(master, "replication", "role")).isEqualTo("slave");
        assertThat(master.log()).contains("time out exceeded, failing over.");
        assertThat(call(master, "FAILOVER", "ABORT")).isEqualTo("+OK\r\n");
        assertThat(state(master)).isEqualTo("no-failover");
        assertThat(info(master, "replication", "role")).isEqualTo("master");
        assertThat(call(master, "SET", "after-abort", "1")).isEqualTo("+OK\r\n");
        assertThat(master.log()).contains("aborted: Failover manually aborted");

        Nodes.signal(replica, "CONT");
        writeAndCompare(master, "resumed:", replica);
        assertThat(info(replica, "replication", "role")).isEqualTo("slave");
    }

    @Test
    void aRealRedisReplicaTakesOverFromACinnabarMaster() {
        RealRedis.assumeInstalled();
        final NodeProcess master = nodes.cinnabar("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.redis("--replicaof", "127.0.0.1", port(master));
        writeAndCompare(master, "before:", replica);
        assertThat(call(master, "FAILOVER", "TO", "127.0.0.1", port(replica))).isEqualTo("+OK\r\n");
        awaitHandedOver(master, replica);
        assertThat(infoLong(replica, "stats", "sync_partial_ok")).isEqualTo(1);
        assertThat(infoLong(replica, "stats", "sync_full")).isZero();
        writeAndCompare(replica, "after:", master);
    }

    @Test
    void aCinnabarReplicaTakesOverFromARealRedisMaster() {
        RealRedis.assumeInstalled();
        final NodeProcess master = nodes.redis("--repl-diskless-sync-delay", "0");
        final NodeProcess replica = nodes.replicaOf(master);
        writeAndCompare(master, "before:", replica);
        assertThat(call(master, "FAILOVER")).isEqualTo("+OK\r\n");
        awaitHandedOver(master, replica);
        assertThat(infoLong(replica, "stats", "sync_partial_ok")).isEqualTo(1);
        assertThat(infoLong(replica, "stats", "sync_full")).isZero();
        assertThat(info(master, "replication", "role")).isEqualTo("slave");
        writeAndCompare(replica, "after:", master);
    }
}
