package dev.cinnabar.it.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11's harness: a writer through the sentinels while a fault moves (or should move) the
 * master: SENTINEL FAILOVER, DEBUG SLEEP, SIGSTOP/SIGCONT, kill -9 with an immediate restart on the
 * old config, and a partition of the master from its replicas and sentinels while the writer still
 * reaches it. With Cinnabar servers and sentinels no acknowledged write may be lost; the same runs
 * against real Redis 7.0 are the baselines, reported, not asserted beyond their having run. The baselines and the long scenarios run with
 * {@code -Dlostwrites.baselines=true} (benchmarks/lost-writes.sh); CI runs one fast Cinnabar
 * scenario per fault. Each run appends its line to target/lost-writes.txt for docs/benchmarks.md.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class LostWritesIT {
    private static final Duration SWITCH = Duration.ofSeconds(60);
    private static final int DOWN_AFTER_MS = 3000;
    private static final int FAILOVER_TIMEOUT_MS = 10_000;
    private static final String[] FENCE = {"--min-replicas-to-write", "1", "--min-replicas-max-lag", "1"};

    /** The fault; returns once it is over (a stopped master resumed, a partition healed). */
    private interface Fault {
        void inject(Fleet fleet, LostWrites writer) throws Exception;
    }

    private static final Fault SENTINEL_FAILOVER = (fleet, writer) -> {
        try (RespClient s = fleet.sentinels.get(0).client()) {
            writer.markFault();
            assertThat(Fleet.text(s.call("SENTINEL", "FAILOVER", Fleet.MASTER))).isEqualTo("+OK\r\n");
        }
    };

    /** The master stops answering for 8 s (the sentinels fail over after 3 s), then wakes up as if nothing happened. */
    private static final Fault DEBUG_SLEEP = (fleet, writer) -> {
        try (RespClient c = fleet.data.get(0).client()) {
            writer.markFault();
            c.write(RespClient.encode(RespClient.argv("DEBUG", "SLEEP", "8")));
        }
    };

    /** SIGSTOP until the sentinels named another master, one more second, then SIGCONT: the stale master resumes. */
    private static final Fault STOP_CONT = (fleet, writer) -> {
        final NodeProcess master = fleet.data.get(0);
        Fleet.signal(master, "STOP");
        writer.markFault();
        awaitNewMaster(fleet, master.port());
        Thread.sleep(1000);
        Fleet.signal(master, "CONT");
    };

    /**
     * kill -9 and an immediate restart where it was, on its config file and the arguments it started with (no RDB:
     * --save ""). Cinnabar sentinels managing Cinnabar servers have set the start fence by then, persisted by their
     * CONFIG REWRITE: nothing sets it by hand.
     */
    private static final Fault KILL_RESTART = (fleet, writer) -> {
        if (fleet.kind == Fleet.Kind.CINNABAR) {
            Await.until("the sentinels to write the start fence into the master's config file", () ->
                fleet.dataConfig(0).contains("\ncinnabar-start-fenced-ms "), SWITCH);
        }
        fleet.data.get(0).kill();
        writer.markFault();
        fleet.restartData(0);
    };

    /** The master's replicas and sentinels lose it (clients do not) until they named another master, plus 2 s. */
    private static final Fault PARTITION = (fleet, writer) -> {
        fleet.proxy.partition();
        writer.markFault();
        awaitNewMaster(fleet, fleet.data.get(0).port());
        Thread.sleep(2000);
        fleet.proxy.heal();
    };

    private static void awaitNewMaster(final Fleet fleet, final int oldMaster) {
        Await.until("every sentinel to name a new master", () -> {
            final int m = agreedMaster(fleet);
            return m > 0 && m != oldMaster;
        }, SWITCH);
    }

    private static int agreedMaster(final Fleet fleet) {
        return fleet.agreedMaster(0, 1, 2);
    }

    /** Who writes: raw RESP asking sentinel 0 after each error, or a JedisSentinelPool over all three. */
    private enum Writer {
        RESP(""), JEDIS(", Jedis writer");

        final String label;

        Writer(final String label) {
            this.label = label;
        }

        LostWrites start(final Fleet fleet) {
            return this == RESP ? new LostWrites(() -> fleet.masterPortSeenBy(0)) : LostWrites.throughSentinelPool(fleet);
        }
    }

    /**
     * One run: 2000 acknowledged writes, the fault, then until every sentinel agrees on a master (another
     * one when {@code moves}), 2000 more acknowledged writes, and the old master replicating the new one.
     */
    private static LostWrites.Result run(final Fleet fleet, final String scenario, final Fault fault,
                                         final boolean noFullSync, final boolean moves,
                                         final Writer who) throws Exception {
        final int oldMaster = fleet.data.get(0).port();
        final long fullSyncsBefore = fleet.fullSyncs();
        try (LostWrites writer = who.start(fleet)) {
            Await.until("the writer to get going", () -> writer.acknowledged() > 2000, SWITCH);
            fault.inject(fleet, writer);
            Await.until("every sentinel to name " + (moves ? "a new master" : "the same master"), () -> {
                final int m = agreedMaster(fleet);
                return m > 0 && (!moves || m != oldMaster);
            }, SWITCH);
            final int newMaster = agreedMaster(fleet);
            final int ackedAtSwitch = writer.acknowledged();
            Await.until("writes acknowledged by the new master", () -> writer.acknowledged() > ackedAtSwitch + 2000, SWITCH);
            final int finalMaster;
            if (newMaster != oldMaster) {
                // the master the sentinels agree on when it settles: a second failover may follow the first
                // (seen once in the restart scenario: another sentinel promoted another replica 1.3 s later)
                final int[] settled = {newMaster};
                Await.until("the old master to replicate the master the sentinels agree on", () -> {
                    final int m = agreedMaster(fleet);
                    if (m <= 0 || m == oldMaster) {
                        return false;
                    }
                    settled[0] = m;
                    try (RespClient c = fleet.dataNode(oldMaster).client()) {
                        final String role = Fleet.text(c.call("ROLE"));
                        return role.contains("slave") && role.contains(Integer.toString(m)) && role.contains("connected");
                    } catch (RuntimeException e) {
                        return false; // the sentinel's SLAVEOF transaction kills normal clients, this one too
                    }
                }, SWITCH);
                finalMaster = settled[0];
            } else {
                finalMaster = newMaster;
            }
            final LostWrites.Result r = writer.finish(fleet.kind + " " + scenario + who.label, finalMaster);
            record(r, fleet.fullSyncs() - fullSyncsBefore);
            if (noFullSync) {
                assertThat(fleet.fullSyncs()).as("full resyncs during the switchover").isEqualTo(fullSyncsBefore);
            }
            return r;
        }
    }

    private static void record(final LostWrites.Result r, final long fullSyncs) throws IOException {
        final String line = r.line() + ", full resyncs " + fullSyncs;
        System.out.println("LostWritesIT: " + line);
        Files.writeString(Path.of("target", "lost-writes.txt"), line + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Baselines and long scenarios: only with -Dlostwrites.baselines=true (benchmarks/lost-writes.sh). */
    private static void baselinesOnly() {
        Assumptions.assumeTrue(Boolean.getBoolean("lostwrites.baselines"),
            "run with -Dlostwrites.baselines=true (benchmarks/lost-writes.sh)");
    }

    // ---- SENTINEL FAILOVER -------------------------------------------------------------------------

    @Test
    void cinnabarSwitchoverLosesNoAcknowledgedWrite() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SENTINEL FAILOVER", SENTINEL_FAILOVER, true, true, Writer.RESP);
            assertThat(r.acknowledged()).isGreaterThan(4000);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisSwitchoverBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SENTINEL FAILOVER", SENTINEL_FAILOVER, false, true, Writer.RESP);
            assertThat(r.acknowledged()).isGreaterThan(4000);
        }
    }

    // ---- DEBUG SLEEP ---------------------------------------------------------------------------------

    /**
     * Automatic failover of a master that comes back, with nothing configured: the lease from the
     * sentinels lapses while the master sleeps, and on waking it checks the lease with the clock of
     * each queued write before anything else, so it acknowledges nothing the promoted replica lacks.
     */
    @Test
    void cinnabarMasterWakingAfterFailoverAcknowledgesNothingLost() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "DEBUG SLEEP 8", DEBUG_SLEEP, false, true, Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisMasterWakingAfterFailoverBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "DEBUG SLEEP 8", DEBUG_SLEEP, false, true, Writer.RESP);
            assertThat(r.acknowledged()).isGreaterThan(4000);
        }
    }

    /** The earlier fence: min-replicas-to-write 1, min-replicas-max-lag 1, both kinds (long scenario). */
    @Test
    void minReplicasFencedMastersWakingAfterFailover() throws Exception {
        baselinesOnly();
        for (final Fleet.Kind kind : new Fleet.Kind[] {Fleet.Kind.CINNABAR, Fleet.Kind.REDIS}) {
            try (Fleet fleet = new Fleet(kind, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS, FENCE)) {
                final LostWrites.Result r = run(fleet, "DEBUG SLEEP 8 (min-replicas 1, max-lag 1)", DEBUG_SLEEP, false,
                    true, Writer.RESP);
                if (kind == Fleet.Kind.CINNABAR) {
                    assertThat(r.lost()).as(r.line()).isZero();
                }
            }
        }
    }

    // ---- SIGSTOP / SIGCONT -----------------------------------------------------------------------

    /** In CI the Jedis variant below stands for this fault; this one runs with the baselines. */
    @Test
    void cinnabarStoppedMasterResumingAcknowledgesNothingLost() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SIGSTOP/SIGCONT", STOP_CONT, false, true, Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisStoppedMasterBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            run(fleet, "SIGSTOP/SIGCONT", STOP_CONT, false, true, Writer.RESP);
        }
    }

    /** The same fault with Jedis's JedisSentinelPool as the writer: it sees errors, never a lost write. */
    @Test
    void cinnabarStoppedMasterJedisWriterLosesNothing() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SIGSTOP/SIGCONT", STOP_CONT, false, true, Writer.JEDIS);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisStoppedMasterJedisWriterBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            run(fleet, "SIGSTOP/SIGCONT", STOP_CONT, false, true, Writer.JEDIS);
        }
    }

    // ---- kill -9 and restart ------------------------------------------------------------------------

    /**
     * The master is killed and restarted at once on its old config, before the sentinels could call
     * it down, with an empty dataset. Started fenced, it refuses writes and syncs; its replicas ask it
     * for a history it lacks, the sentinels see a replica ahead of it and fail it over: the replicas'
     * data survives. (Redis serves the empty dataset to everyone: its replicas resync and lose all.)
     */
    @Test
    void cinnabarMasterRestartedEmptyIsFailedOverNotFollowed() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "kill -9 + restart", KILL_RESTART, false, true,
                Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisMasterRestartedEmptyBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            run(fleet, "kill -9 + restart", KILL_RESTART, false, false, Writer.RESP);
        }
    }

    // ---- mixed fleets ---------------------------------------------------------------------------------

    /** Real redis-sentinels driving Cinnabar servers: the lease works from their pings and hellos alike. */
    @Test
    void cinnabarServersUnderRedisSentinelsStoppedMasterLosesNothing() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR_SERVERS_REDIS_SENTINELS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SIGSTOP/SIGCONT", STOP_CONT, false, true, Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
            // Redis sentinels never turn the start fence on (they would never lift it): Redis's restarts
            for (int i = 0; i < fleet.data.size(); i++) {
                try (RespClient c = fleet.client(fleet.data.get(i))) {
                    assertThat(Fleet.text(c.call("CONFIG", "GET", "cinnabar-start-fenced-ms"))).endsWith("$1\r\n0\r\n");
                }
                assertThat(fleet.dataConfig(i)).doesNotContain("cinnabar-start-fenced-ms");
            }
        }
    }

    /**
     * Real redis-sentinels' switchover of Cinnabar servers: Redis's order (promote, then demote much
     * later), so writes are lost, but only until the first hello naming the new master under its new
     * epoch reaches the old one (hellos every 2 s), not until its conversion. Reported, not asserted.
     */
    @Test
    void cinnabarServersUnderRedisSentinelsSwitchoverBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR_SERVERS_REDIS_SENTINELS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SENTINEL FAILOVER", SENTINEL_FAILOVER, false, true, Writer.RESP);
            assertThat(r.acknowledged()).isGreaterThan(4000);
        }
    }

    /** Cinnabar sentinels driving real Redis servers: the coordinated switchover uses standard commands only. */
    @Test
    void redisServersUnderCinnabarSentinelsSwitchoverLosesNothing() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS_SERVERS_CINNABAR_SENTINELS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)) {
            final LostWrites.Result r = run(fleet, "SENTINEL FAILOVER", SENTINEL_FAILOVER, true, true, Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    // ---- partition ------------------------------------------------------------------------------------

    /**
     * Cut off from its replicas and sentinels, the master keeps its clients. Its replies to writes
     * wait for a replica's acknowledgement (cinnabar-sync-replicas 1, the default), which no longer
     * comes: the writer's connection closes after cinnabar-sync-timeout-ms, and once the lease lapsed
     * the master refuses writes. Nothing it acknowledged is missing from the promoted replica.
     */
    @Test
    void cinnabarPartitionedMasterLosesNothing() throws Exception {
        try (Fleet fleet = new Fleet(Fleet.Kind.CINNABAR, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS, true)) {
            final LostWrites.Result r = run(fleet, "partition of the master", PARTITION, false, true,
                Writer.RESP);
            assertThat(r.lost()).as(r.line()).isZero();
        }
    }

    @Test
    void redisPartitionedMasterBaseline() throws Exception {
        baselinesOnly();
        try (Fleet fleet = new Fleet(Fleet.Kind.REDIS, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS, true)) {
            run(fleet, "partition of the master", PARTITION, false, true, Writer.RESP);
        }
    }
}
