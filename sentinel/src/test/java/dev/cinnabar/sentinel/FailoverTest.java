package dev.cinnabar.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover state machine through every state, with the election, each abort, the timeouts, parallel-syncs and
 * the old master's conversion, on a simulated master + replicas + two peer sentinels.
 */
class FailoverTest {
    static final String ME = "0123456789012345678901234567890123456789";
    static final String B = "b".repeat(40);
    static final String C = "c".repeat(40);

    @TempDir
    Path tmp;

    Harness h;
    FakeNet.DataNode m;
    FakeNet.DataNode r1;
    FakeNet.DataNode r2;
    FakeNet.PeerSentinel p1;
    FakeNet.PeerSentinel p2;

    @BeforeEach
    void setUp() {
        h = new Harness();
        m = h.net.data("127.0.0.1", 6379, "a".repeat(40));
        r1 = h.net.data("127.0.0.2", 6379, "1".repeat(40));
        r2 = h.net.data("127.0.0.3", 6379, "2".repeat(40));
        r1.replicaOf(m);
        r2.replicaOf(m);
        r2.priority = 50;
        p1 = h.net.peer("127.0.0.11", 26379, B);
        p2 = h.net.peer("127.0.0.12", 26379, C);
    }

    void start(final String extraConfig) throws Exception {
        h.config("sentinel monitor mymaster 127.0.0.1 6379 2\n"
            + "sentinel down-after-milliseconds mymaster 3000\n"
            + "sentinel failover-timeout mymaster 20000\n" + extraConfig);
        h.step(300);
        final FakeNet.Conn pubsub = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription != null)
            .findFirst().orElseThrow();
        for (final FakeNet.PeerSentinel p : List.of(p1, p2)) {
            pubsub.message(Sentinel.HELLO_CHANNEL, p.ip + "," + p.port + "," + p.runid + ",0,mymaster,127.0.0.1,6379,0");
        }
        h.step(2000);
    }

    boolean stepUntil(final BooleanSupplier done, final long maxMs) {
        for (long t = 0; t < maxMs; t += 100) {
            if (done.getAsBoolean()) {
                return true;
            }
            h.step(100);
        }
        return done.getAsBoolean();
    }

    void masterFails() {
        m.down = true;
        p1.thinksDown = true;
        p2.thinksDown = true;
    }

    SentinelInstance master() {
        return h.master("mymaster");
    }

    @Test
    void shouldRunEveryStateOfASuccessfulFailoverInRedisOrder() throws Exception {
        final Path script = Files.writeString(tmp.resolve("reconf.sh"), "#!/bin/sh\nexit 0\n");
        script.toFile().setExecutable(true);
        start("sentinel client-reconfig-script mymaster " + script + "\n");
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 20_000)).isTrue();
        // quorum 2/2: the first peer's answer completes it, ODOWN does not wait for the second's
        final List<String> expected = List.of(
            "+sdown master mymaster 127.0.0.1 6379",
            "+odown master mymaster 127.0.0.1 6379 #quorum 2/2",
            "+new-epoch 1",
            "+try-failover master mymaster 127.0.0.1 6379",
            "+vote-for-leader " + ME + " 1",
            "+elected-leader master mymaster 127.0.0.1 6379",
            "+failover-state-select-slave master mymaster 127.0.0.1 6379",
            "+selected-slave slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379",
            "+failover-state-send-slaveof-noone slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379",
            "+failover-state-wait-promotion slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379",
            "+promoted-slave slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379",
            "+failover-state-reconf-slaves master mymaster 127.0.0.1 6379",
            "+slave-reconf-sent slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.1 6379",
            "+slave-reconf-inprog slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.1 6379",
            "+slave-reconf-done slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.1 6379",
            "+failover-end master mymaster 127.0.0.1 6379",
            "+switch-master mymaster 127.0.0.1 6379 127.0.0.3 6379",
            "+slave slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.3 6379",
            "+slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.3 6379");
        assertThat(h.events.stream().filter(e -> expected.contains(e)).distinct().toList())
            .containsExactlyElementsOf(expected);

        // the promotion transaction, exactly as Redis sends it
        final List<String> toR2 = h.net.log.stream().filter(l -> l.startsWith("127.0.0.3:6379 ")
            && !l.contains("PING") && !l.contains("INFO") && !l.contains("PUBLISH")).skip(2).toList();
        assertThat(toR2).containsSubsequence("127.0.0.3:6379 MULTI", "127.0.0.3:6379 SLAVEOF NO ONE",
            "127.0.0.3:6379 CONFIG REWRITE", "127.0.0.3:6379 CLIENT KILL TYPE normal",
            "127.0.0.3:6379 CLIENT KILL TYPE pubsub", "127.0.0.3:6379 EXEC");
        assertThat(h.net.log).contains("127.0.0.2:6379 SLAVEOF 127.0.0.3 6379");
        assertThat(h.net.log).contains("127.0.0.11:26379 SENTINEL is-master-down-by-addr 127.0.0.1 6379 1 " + ME);

        assertThat(master().addr.ip()).isEqualTo("127.0.0.3");
        assertThat(master().configEpoch).isEqualTo(1);
        assertThat(master().failoverState).isEqualTo(FailoverState.NONE);
        assertThat(h.sentinel.masterAddress("mymaster").ip()).isEqualTo("127.0.0.3");
        assertThat(h.savedConfig).contains("sentinel monitor mymaster 127.0.0.3 6379 2",
            "sentinel config-epoch mymaster 1", "sentinel current-epoch 1",
            "sentinel known-replica mymaster 127.0.0.1 6379", "sentinel known-replica mymaster 127.0.0.2 6379");
        h.step(200);
        assertThat(h.launched).contains(List.of(script.toString(), "mymaster", "leader", "start", "127.0.0.1",
            "6379", "127.0.0.3", "6379"));

        // the old master comes back still claiming to be a master: it is converted
        m.down = false;
        assertThat(stepUntil(() -> h.hasEvent("+convert-to-slave"), 20_000)).isTrue();
        assertThat(h.events).contains("+convert-to-slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.3 6379");
        assertThat(h.net.log).contains("127.0.0.1:6379 SLAVEOF 127.0.0.3 6379");
        assertThat(m.masterHost).isEqualTo("127.0.0.3");
    }

    /** (Cinnabar) an INFO behind the promotion transaction: +promoted-slave without waiting for the 1 s INFO period. */
    @Test
    void shouldSeeThePromotionInTheInfoSentRightBehindIt() throws Exception {
        start("");
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("+failover-state-wait-promotion"), 20_000)).isTrue();
        final List<String> toR2 = h.net.log.stream().filter(l -> l.startsWith("127.0.0.3:6379 ")).toList();
        assertThat(toR2.get(toR2.lastIndexOf("127.0.0.3:6379 EXEC") + 1)).isEqualTo("127.0.0.3:6379 INFO");
        h.step(100);
        assertThat(h.events).contains("+promoted-slave slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379");
    }

    /**
     * A master failed over because it restarted behind its replicas (start fence "diverged"): the new
     * master must not inherit that verdict, or every sentinel calls it down at once and fails it over
     * in turn (seen in CI: three failovers in two seconds).
     */
    @Test
    void shouldNotCarryTheOldMastersStartFenceVerdictToTheNewMaster() throws Exception {
        start("");
        h.step(1000);
        final SentinelInstance master = master();
        master.fence = "diverged";
        master.fenceBehind = true;
        master.fenceReplOffset = 42;
        h.sentinel.resetMasterAndChangeAddress(master, "127.0.0.3", 6379, h.now);
        assertThat(master.fenceBehind).isFalse();
        assertThat(master.fence).isNull();
        assertThat(master.fenceReplOffset).isEqualTo(-1);
        h.step(500);
        assertThat(h.events).noneMatch(e -> e.startsWith("+sdown master mymaster 127.0.0.3"));
    }

    @Test
    void shouldAbortWhenNotElectedWithinElectionTimeout() throws Exception {
        start("");
        p1.votesFor = "z".repeat(40);
        p1.voteEpoch = 1;
        p2.votesFor = "z".repeat(40);
        p2.voteEpoch = 1;
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-not-elected"), 20_000)).isTrue();
        // we vote for ourselves before the peers' votes arrive, and they voted for someone else: nobody wins
        assertThat(h.events).contains("+vote-for-leader " + ME + " 1");
        assertThat(h.master("mymaster").sentinels.get(B).leader).isEqualTo("z".repeat(40));
        assertThat(h.hasEvent("+elected-leader")).isFalse();
        final int abort = h.indexOf("-failover-abort-not-elected");
        final int tryAt = h.indexOf("+try-failover");
        assertThat(abort).isGreaterThan(tryAt);
        assertThat(master().has(InstanceFlag.FAILOVER_IN_PROGRESS)).isFalse();
        assertThat(master().failoverState).isEqualTo(FailoverState.NONE);
        // no new attempt before 2 x failover-timeout
        h.step(25_000);
        assertThat(h.events.stream().filter(e -> e.startsWith("+try-failover")).count()).isEqualTo(1);
        assertThat(h.logs).anyMatch(l -> l.startsWith("Next failover delay: I will not start a failover before "));
    }

    @Test
    void shouldAbortWhenNoReplicaQualifies() throws Exception {
        r1.priority = 0;
        r2.priority = 0;
        start("");
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-no-good-slave"), 20_000)).isTrue();
        assertThat(h.events).contains("-failover-abort-no-good-slave master mymaster 127.0.0.1 6379");
        assertThat(master().failoverState).isEqualTo(FailoverState.NONE);
    }

    @Test
    void shouldWaitForLateInfoRepliesBeforeGivingUpOnTheReplicas() throws Exception {
        start("");
        h.step(6000); // the replicas' last INFO (every 10 s) is now older than the 5 s a failover accepts
        r1.holdInfo = true;
        r2.holdInfo = true;
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("+failover-state-select-slave"), 20_000)).isTrue();
        h.step(1000);
        assertThat(h.events).noneMatch(e -> e.startsWith("-failover-abort"));
        assertThat(master().failoverState).isEqualTo(FailoverState.SELECT_SLAVE);
        r1.holdInfo = false;
        r2.holdInfo = false;
        assertThat(stepUntil(() -> h.hasEvent("+selected-slave"), 3000)).isTrue();
        assertThat(h.events).noneMatch(e -> e.startsWith("-failover-abort"));
    }

    @Test
    void shouldStillAbortWhenTheLateInfoNeverComes() throws Exception {
        start("");
        h.step(6000);
        r1.holdInfo = true;
        r2.holdInfo = true;
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("+failover-state-select-slave"), 20_000)).isTrue();
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-no-good-slave"), 7000))
            .as("aborted once the validity window (5 ping periods) is over").isTrue();
    }

    @Test
    void shouldAbortWhenThePromotedReplicaNeverBecomesMaster() throws Exception {
        start("");
        masterFails();
        // the replica ignores the transaction: it stays a replica of the dead master
        r2.ignoreSlaveOf = true;
        assertThat(stepUntil(() -> master().failoverState == FailoverState.WAIT_PROMOTION, 20_000)).isTrue();
        final long since = h.now;
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-slave-timeout"), 25_000)).isTrue();
        assertThat(h.now - since).isGreaterThan(20_000);
        assertThat(master().promotedSlave).isNull();
        assertThat(master().slaves.get("127.0.0.3:6379").has(InstanceFlag.PROMOTED)).isFalse();
    }

    @Test
    void shouldAbortWhenThePromotedReplicaIsUnreachableForFailoverTimeout() throws Exception {
        start("");
        masterFails();
        assertThat(stepUntil(() -> master().failoverState == FailoverState.SEND_SLAVEOF_NOONE, 20_000)).isTrue();
        r2.refusing = true;
        for (final FakeNet.Conn c : h.net.open("127.0.0.3", 6379)) {
            c.lose();
        }
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-slave-timeout"), 25_000)).isTrue();
        assertThat(h.net.log).doesNotContain("127.0.0.3:6379 SLAVEOF NO ONE");
    }

    @Test
    void shouldEndForTimeoutWhenReplicasDoNotFollowAndSendBestEffortSlaveOf() throws Exception {
        final FakeNet.DataNode r3 = h.net.data("127.0.0.4", 6379, "3".repeat(40));
        r3.replicaOf(m);
        start("sentinel failover-timeout mymaster 5000\nsentinel parallel-syncs mymaster 1\n");
        masterFails();
        assertThat(stepUntil(() -> master().failoverState == FailoverState.RECONF_SLAVES, 20_000)).isTrue();
        // replicas accept SLAVEOF but never sync: their link stays down
        r1.linkUp = false;
        r3.linkUp = false;
        assertThat(stepUntil(() -> h.hasEvent("+failover-end-for-timeout"), 10_000)).isTrue();
        assertThat(h.events).contains("+failover-end master mymaster 127.0.0.1 6379");
        // parallel-syncs 1: the second replica got SLAVEOF only as the best effort at the end
        assertThat(h.events).anyMatch(e -> e.startsWith("+slave-reconf-sent-be slave"));
        h.step(200);
        assertThat(h.events).contains("+switch-master mymaster 127.0.0.1 6379 127.0.0.3 6379");
    }

    @Test
    void shouldReconfigureAtMostParallelSyncsReplicasAtOnce() throws Exception {
        final FakeNet.DataNode r3 = h.net.data("127.0.0.4", 6379, "3".repeat(40));
        r3.replicaOf(m);
        start("");
        masterFails();
        r1.linkUp = false;
        r3.linkUp = false;
        assertThat(stepUntil(() -> h.hasEvent("+slave-reconf-sent"), 20_000)).isTrue();
        h.step(3000);
        assertThat(h.events.stream().filter(e -> e.startsWith("+slave-reconf-sent ")).count()).isEqualTo(1);
        assertThat(h.events.stream().filter(e -> e.startsWith("+slave-reconf-inprog ")).count()).isEqualTo(1);
        // the first one finishes syncing; then the next one is sent
        r1.linkUp = true;
        r3.linkUp = true;
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 10_000)).isTrue();
        assertThat(h.events.stream().filter(e -> e.startsWith("+slave-reconf-done ")).count()).isEqualTo(2);
    }

    @Test
    void shouldTimeOutAReplicaStuckAfterSlaveOf() throws Exception {
        // as in Redis, the reconf timeout is only checked while fewer than parallel-syncs replicas are in progress
        start("sentinel parallel-syncs mymaster 2\n");
        masterFails();
        r1.ignoreSlaveOf = true;
        assertThat(stepUntil(() -> master().failoverState == FailoverState.RECONF_SLAVES, 20_000)).isTrue();
        final boolean timedOut = stepUntil(() -> h.hasEvent("-slave-reconf-sent-timeout"), 15_000);
        assertThat(timedOut).as(h.events.toString()).isTrue();
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 5_000)).isTrue();
    }

    @Test
    void shouldFailoverOnUserRequestWithoutElectionAsRedisWhenNotCoordinated() throws Exception {
        start("sentinel coordinated-failover no\n");
        h.sentinel.failover.start(master(), h.now);
        master().flags.add(InstanceFlag.FORCE_FAILOVER);
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 10_000)).isTrue();
        assertThat(h.net.log).noneMatch(l -> l.contains("is-master-down-by-addr"));
        assertThat(h.net.log).noneMatch(l -> l.contains("PAUSE"));
        assertThat(master().addr.ip()).isEqualTo("127.0.0.3");
        // the old master is alive and still a master: converted after 4 publish periods
        assertThat(stepUntil(() -> h.hasEvent("+convert-to-slave"), 20_000)).isTrue();
    }

    @Test
    void shouldFenceTheOldMasterUntilTheReplicaCaughtUpThenDemoteIt() throws Exception {
        startAManualFailoverThatMustWaitForR2();
        assertThat(h.net.log).contains("127.0.0.1:6379 CLIENT PAUSE 20000 WRITE", "127.0.0.1:6379 INFO replication");
        // the replica is behind the paused master: nothing is promoted while it catches up
        h.step(2_000);
        assertThat(master().failoverState).isEqualTo(FailoverState.WAIT_CATCHUP);
        assertThat(h.net.log).noneMatch(l -> l.contains("SLAVEOF NO ONE"));
        r2.offset = 5000;
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 10_000)).as(h.events.toString()).isTrue();
        assertThat(h.events).anyMatch(e -> e.startsWith("+replica-caught-up "));
        assertThat(h.events).anyMatch(e -> e.startsWith("+fenced-master-demoted "));
        final int promotion = h.net.log.indexOf("127.0.0.3:6379 SLAVEOF NO ONE");
        final int demotion = h.net.log.indexOf("127.0.0.1:6379 SLAVEOF 127.0.0.3 6379");
        final int unpause = h.net.log.lastIndexOf("127.0.0.1:6379 CLIENT UNPAUSE");
        assertThat(promotion).isGreaterThanOrEqualTo(0);
        assertThat(demotion).isGreaterThan(promotion);
        assertThat(unpause).isGreaterThan(demotion);
        assertThat(m.masterHost).isEqualTo("127.0.0.3");
        // the fake master holds a PUBLISH while paused, as Redis does, and every later command on its link: no
        // hello may go to it between the pause and the demotion, or the SLAVEOF transaction waits behind it
        final int pause = h.net.log.indexOf("127.0.0.1:6379 CLIENT PAUSE 20000 WRITE");
        assertThat(h.net.log.subList(pause, unpause)).noneMatch(l -> l.startsWith("127.0.0.1:6379 PUBLISH"));
        assertThat(m.writesPaused).isFalse();
    }

    /**
     * The fenced master's link is down when the promotion is seen: it cannot be demoted then. It is converted once
     * back (+convert-to-slave), and its pause must end with that, or as a replica it would leave the new master's
     * stream unapplied until the pause times out (every write on the new master waiting for its acknowledgement).
     */
    @Test
    void shouldUnpauseAFencedMasterDemotedAfterItsLinkCameBack() throws Exception {
        promoteWhileTheFencedMastersLinkIsDown();
        assertThat(h.events).noneMatch(e -> e.startsWith("+fenced-master-demoted "));
        assertThat(m.writesPaused).isTrue();
        m.refusing = false;
        assertThat(stepUntil(() -> h.hasEvent("+convert-to-slave"), 20_000)).as(h.events.toString()).isTrue();
        final int demotion = h.net.log.lastIndexOf("127.0.0.1:6379 SLAVEOF 127.0.0.3 6379");
        assertThat(demotion).isGreaterThanOrEqualTo(0);
        assertThat(h.net.log.lastIndexOf("127.0.0.1:6379 CLIENT UNPAUSE")).isGreaterThan(demotion);
        h.step(200);
        assertThat(m.masterHost).isEqualTo("127.0.0.3");
        assertThat(m.writesPaused).isFalse();
    }

    /** SENTINEL FAILOVER with m at 5000 and r2, the best replica, at 4000: m is paused while r2 catches up. */
    private void startAManualFailoverThatMustWaitForR2() throws Exception {
        start("");
        m.offset = 5000;
        r2.offset = 4000;
        h.sentinel.failover.start(master(), h.now);
        master().flags.add(InstanceFlag.FORCE_FAILOVER);
        assertThat(stepUntil(() -> master().failoverState == FailoverState.WAIT_CATCHUP, 5_000)).isTrue();
    }

    /** A SENTINEL FAILOVER pauses m; its link drops before r2 (caught up) is promoted, so m cannot be demoted. */
    private void promoteWhileTheFencedMastersLinkIsDown() throws Exception {
        startAManualFailoverThatMustWaitForR2();
        assertThat(stepUntil(() -> master().fenceOffset == 5000, 2_000)).isTrue();
        m.refusing = true;
        h.net.open("127.0.0.1", 6379).forEach(FakeNet.Conn::lose);
        r2.offset = 5000;
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 10_000)).as(h.events.toString()).isTrue();
    }

    /** Another sentinel demoted the master we paused: we lift our pause as soon as it reports role:slave. */
    @Test
    void shouldUnpauseAFencedMasterSomeoneElseDemoted() throws Exception {
        promoteWhileTheFencedMastersLinkIsDown();
        m.replicaOf(r2);
        m.refusing = false;
        assertThat(stepUntil(() -> h.hasEvent("+unpause-demoted"), 5_000)).as(h.events.toString()).isTrue();
        assertThat(m.writesPaused).isFalse();
        assertThat(h.events).noneMatch(e -> e.startsWith("+convert-to-slave "));
    }

    @Test
    void shouldAbortAndUnpauseWhenTheReplicaDoesNotCatchUp() throws Exception {
        start("");
        m.offset = 5000;
        r1.offset = 10;
        r2.offset = 10;
        h.sentinel.failover.start(master(), h.now);
        master().flags.add(InstanceFlag.FORCE_FAILOVER);
        assertThat(stepUntil(() -> h.hasEvent("-failover-abort-catchup-timeout"), 15_000)).as(h.events.toString())
            .isTrue();
        assertThat(master().failoverState).isEqualTo(FailoverState.NONE);
        assertThat(h.net.log).contains("127.0.0.1:6379 CLIENT UNPAUSE");
        assertThat(h.net.log).noneMatch(l -> l.contains("SLAVEOF NO ONE"));
        assertThat(m.isMaster()).isTrue();
    }

    @Test
    void shouldNotWaitForAMasterThatIsDown() throws Exception {
        start("");
        masterFails();
        assertThat(stepUntil(() -> h.hasEvent("+switch-master"), 30_000)).isTrue();
        assertThat(h.net.log).noneMatch(l -> l.contains("PAUSE"));
    }

    @Test
    void shouldNotActInTiltEvenWithMasterDown() throws Exception {
        start("");
        h.now += 3000;
        h.sentinel.tick(h.now);
        masterFails();
        h.step(25_000);
        assertThat(h.hasEvent("+try-failover")).isFalse();
        h.step(10_000);
        assertThat(h.hasEvent("+try-failover")).isTrue();
    }

    @Test
    void shouldFollowANewerConfigurationFromAPeerAsObserver() throws Exception {
        final Path script = Files.writeString(tmp.resolve("reconf.sh"), "#!/bin/sh\nexit 0\n");
        script.toFile().setExecutable(true);
        start("sentinel client-reconfig-script mymaster " + script + "\n");
        final FakeNet.Conn pubsub = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription != null)
            .findFirst().orElseThrow();
        pubsub.message(Sentinel.HELLO_CHANNEL, "127.0.0.11,26379," + B + ",3,mymaster,127.0.0.2,6379,3");
        assertThat(h.events).contains(
            "+config-update-from sentinel " + B + " 127.0.0.11 26379 @ mymaster 127.0.0.1 6379",
            "+switch-master mymaster 127.0.0.1 6379 127.0.0.2 6379");
        assertThat(master().addr.ip()).isEqualTo("127.0.0.2");
        assertThat(master().configEpoch).isEqualTo(3);
        assertThat(master().slaves).containsOnlyKeys("127.0.0.3:6379", "127.0.0.1:6379");
        h.step(200);
        assertThat(h.launched).contains(List.of(script.toString(), "mymaster", "observer", "start", "127.0.0.1",
            "6379", "127.0.0.2", "6379"));
    }

    @Test
    void shouldFixAReplicaFollowingTheWrongMasterAfterFailoverTimeout() throws Exception {
        start("sentinel failover-timeout mymaster 4000\n");
        r1.masterHost = "127.0.0.99";
        r1.masterPort = 6000;
        assertThat(stepUntil(() -> h.hasEvent("+fix-slave-config"), 30_000)).isTrue();
        assertThat(h.net.log).contains("127.0.0.2:6379 SLAVEOF 127.0.0.1 6379");
        assertThat(r1.masterHost).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldRejectIllegalTransitionsAndLateAborts() throws Exception {
        start("");
        final SentinelInstance mm = master();
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> h.sentinel.failover.state(mm, FailoverState.RECONF_SLAVES, h.now))
            .isInstanceOf(IllegalStateException.class);
        h.sentinel.failover.start(mm, h.now);
        h.sentinel.failover.state(mm, FailoverState.SELECT_SLAVE, h.now);
        h.sentinel.failover.state(mm, FailoverState.WAIT_CATCHUP, h.now);
        h.sentinel.failover.state(mm, FailoverState.SEND_SLAVEOF_NOONE, h.now);
        h.sentinel.failover.state(mm, FailoverState.WAIT_PROMOTION, h.now);
        h.sentinel.failover.state(mm, FailoverState.RECONF_SLAVES, h.now);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sentinel.failover.abort(mm, h.now))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCrashAfterElectionWhenSimulated() throws Exception {
        start("");
        h.sentinel.simFailureFlags = Sentinel.SIMFAILURE_CRASH_AFTER_ELECTION;
        masterFails();
        assertThat(stepUntil(() -> h.events.contains("CRASH"), 20_000)).isTrue();
        assertThat(h.indexOf("CRASH")).isEqualTo(h.indexOf("+elected-leader") + 1);
    }

    @Test
    void shouldRunNotificationScriptForWarningEventsAndRetryFailures() throws Exception {
        final Path script = Files.writeString(tmp.resolve("notify.sh"), "#!/bin/sh\nexit 0\n");
        script.toFile().setExecutable(true);
        start("sentinel notification-script mymaster " + script + "\n");
        m.down = true;
        stepUntil(() -> h.hasEvent("+sdown"), 10_000);
        h.step(100);
        assertThat(h.launched.get(0)).containsExactly(script.toString(), "+monitor",
            "master mymaster 127.0.0.1 6379 quorum 2");
        h.exits.get(0).exited(0, 0);
        final int idx = h.launched.indexOf(List.of(script.toString(), "+sdown", "master mymaster 127.0.0.1 6379"));
        assertThat(idx).isNotNegative();
        assertThat(h.sentinel.scripts.running()).isEqualTo(1);
        // exit code 1 means "retry": again after script-retry-delay
        h.exits.get(idx).exited(1, 0);
        assertThat(h.sentinel.scripts.running()).isZero();
        assertThat(h.sentinel.scripts.queueLength()).isEqualTo(1);
        assertThat(h.sentinel.scripts.jobs().get(0).retryNum).isEqualTo(1);
        final int launches = h.launched.size();
        h.step(29_000);
        assertThat(h.launched.size()).isEqualTo(launches);
        h.step(1_200);
        assertThat(h.launched.size()).isEqualTo(launches + 1);
        h.exits.get(h.exits.size() - 1).exited(0, 0);
        assertThat(h.sentinel.scripts.queueLength()).isZero();
    }

    @Test
    void shouldKillScriptsRunningTooLong() throws Exception {
        final Path script = Files.writeString(tmp.resolve("notify.sh"), "#!/bin/sh\nsleep 100\n");
        script.toFile().setExecutable(true);
        start("");
        h.sentinel.scripts.schedule(List.of(script.toString(), "+test", "x"));
        h.step(100);
        h.step(60_100);
        assertThat(h.events).contains("-script-timeout " + script + " 4242");
        // killed by a signal: retried later, not dropped
        assertThat(h.sentinel.scripts.queueLength()).isEqualTo(1);
        assertThat(h.sentinel.scripts.retryDelay(3)).isEqualTo(120_000);
    }
}
