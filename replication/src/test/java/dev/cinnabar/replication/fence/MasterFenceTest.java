package dev.cinnabar.replication.fence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease on a fake clock: lease 2000 ms (stall threshold 1000 ms), three sentinels A, B, C. */
class MasterFenceTest {
    private static final String A = "aaaaaaaa" + "1".repeat(32);
    private static final String B = "bbbbbbbb" + "1".repeat(32);
    private static final String C = "cccccccc" + "1".repeat(32);

    private long now = 1_000_000;
    private MasterFence fence;

    @BeforeEach
    void startAsMaster() {
        fence = new MasterFence(() -> now, 2000, 0);
        fence.started(true);
    }

    /** Time passes with the loop alive (the cron ticks every 100 ms). */
    private void run(final long ms) {
        for (long t = 0; t < ms; t += 100) {
            now += Math.min(100, ms - t);
            fence.tick();
        }
    }

    private void allThreeConfirm(final long epoch) {
        fence.hello(A, true, epoch);
        fence.hello(B, true, epoch);
        fence.hello(C, true, epoch);
    }

    /** Sentinels ping once a second; pings from {@code ids} for {@code ms}. */
    private void pings(final long ms, final String... ids) {
        for (long t = 0; t < ms; t += 100) {
            now += 100;
            if ((t / 100) % 10 == 0) {
                for (final String id : ids) {
                    fence.contact(id.substring(0, 8));
                }
            }
            fence.tick();
        }
    }

    @Test
    void aMasterNoSentinelNamedTakesWrites() {
        run(60_000);
        assertThat(fence.state()).isEqualTo(FenceState.OPEN);
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void pingsFromAMajorityKeepTheLease() {
        allThreeConfirm(0);
        assertThat(fence.state()).isEqualTo(FenceState.HELD);
        pings(30_000, A, B);
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.confirmedSentinels()).isEqualTo(2);
    }

    @Test
    void silenceFromTheMajorityLapsesTheLeaseAtTheBound() {
        allThreeConfirm(0);
        pings(5_000, A, B, C);
        fence.contact("aaaaaaaa");
        fence.contact("bbbbbbbb"); // the majority's last pings: then A and B are cut off
        pings(1_900, C);
        assertThat(fence.allowsWrites()).isTrue();
        pings(200, C);
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.state()).isEqualTo(FenceState.LAPSED);
        assertThat(fence.refusal()).startsWith("READONLY ");
        assertThat(fence.lapses()).isEqualTo(1);
    }

    @Test
    void theLapseIsDecidedWithTheClockOfTheWriteNotTheCron() {
        allThreeConfirm(0);
        fence.contact("aaaaaaaa");
        fence.contact("bbbbbbbb");
        now += 900; // no tick: a busy loop, under the stall threshold
        assertThat(fence.allowsWrites()).isTrue();
        now += 900;
        assertThat(fence.allowsWrites()).isTrue();
        now += 900; // 2.7 s since the last ping, the cron never ran
        assertThat(fence.allowsWrites()).isFalse();
    }

    @Test
    void pingsDoNotRestoreALapsedLeaseOnlyHellosDo() {
        allThreeConfirm(0);
        run(2_500);
        assertThat(fence.allowsWrites()).isFalse();
        pings(5_000, A, B, C);
        assertThat(fence.allowsWrites()).as("sentinels that failed us over still ping us").isFalse();
        fence.hello(A, true, 0);
        assertThat(fence.allowsWrites()).as("one of three").isFalse();
        fence.hello(B, true, 0);
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void aWokenMasterRefusesEvenWhenQueuedPingsAndHellosComeFirst() {
        allThreeConfirm(0);
        pings(3_000, A, B, C);
        now += 8_000; // SIGSTOP / DEBUG SLEEP 8: nothing runs, not even the cron
        // what the sentinels sent during the sleep is processed first
        fence.contact("aaaaaaaa");
        fence.contact("bbbbbbbb");
        fence.hello(A, true, 0);
        fence.hello(B, true, 0);
        fence.hello(C, true, 0);
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.state()).isEqualTo(FenceState.LAPSED);
        // no failover happened: fresh hellos after the grace restore it
        run(1_100);
        fence.hello(A, true, 0);
        fence.hello(B, true, 0);
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void aShortPauseUnderTheStallThresholdChangesNothing() {
        allThreeConfirm(0);
        pings(3_000, A, B, C);
        now += 900;
        fence.contact("aaaaaaaa");
        fence.contact("bbbbbbbb");
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.lapses()).isZero();
    }

    @Test
    void aHelloNamingAnotherMasterWithANewerEpochDeposesAtOnce() {
        allThreeConfirm(3);
        pings(1_000, A, B, C);
        fence.hello(C, false, 4);
        assertThat(fence.allowsWrites()).isFalse();
        // stale hellos naming us under the old epoch do not bring the lease back
        run(2_000);
        fence.hello(A, true, 3);
        fence.hello(B, true, 3);
        assertThat(fence.allowsWrites()).isFalse();
    }

    @Test
    void aLaggingSentinelNamingTheOldMasterDoesNotFenceThePromotedOne() {
        fence.roleChanged(); // REPLICAOF NO ONE from the failover leader
        fence.hello(B, false, 3); // B still names the old master under the old epoch
        assertThat(fence.allowsWrites()).isTrue();
        fence.hello(A, true, 4); // the leader's hello under the new epoch
        assertThat(fence.allowsWrites()).isTrue();
        fence.hello(B, false, 3);
        assertThat(fence.allowsWrites()).isTrue();
        fence.hello(C, true, 4);
        assertThat(fence.state()).isEqualTo(FenceState.HELD);
        pings(10_000, A, C);
        assertThat(fence.allowsWrites()).isTrue();
    }

    /**
     * The leader's hello comes first, then hellos of sentinels that have not heard of the promotion
     * yet: they do not fence the new master while they catch up (one lease), but count again after
     * that, so a majority that never confirms it lapses the lease before down-after could let them
     * fail it over.
     */
    @Test
    void sentinelsNotYetAwareOfThePromotionCountAgainOneLeaseAfterIt() {
        fence.roleChanged();
        fence.hello(A, true, 4);
        fence.hello(B, false, 3);
        fence.hello(C, false, 3);
        assertThat(fence.allowsWrites()).isTrue();
        pings(1_900, A);
        assertThat(fence.allowsWrites()).isTrue();
        pings(200, A);
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.state()).isEqualTo(FenceState.LAPSED);
        fence.hello(A, true, 4); // a lapse voids every confirmation: new hellos from a majority
        fence.hello(B, true, 4); // B learned of the failover
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void aLaggingSentinelThatCatchesUpWithinTheLeaseKeepsTheNewMasterWritable() {
        fence.roleChanged();
        fence.hello(B, false, 3);
        fence.hello(A, true, 4);
        pings(800, A);
        fence.hello(B, true, 4);
        pings(10_000, A, B);
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.lapses()).isZero();
    }

    /** Without a promotion there is no grace: a sentinel naming another master under an older epoch counts. */
    @Test
    void aMasterThatWasNotPromotedCountsEverySentinel() {
        fence.hello(A, true, 4);
        fence.hello(B, false, 3);
        assertThat(fence.allowsWrites()).isFalse();
    }

    @Test
    void leaseZeroIsRedisBehaviour() {
        fence.configure(0, 0);
        allThreeConfirm(0);
        now += 60_000;
        assertThat(fence.state()).isEqualTo(FenceState.OFF);
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void settingTheLeaseAgainForgetsTheSentinels() {
        allThreeConfirm(0);
        run(3_000);
        assertThat(fence.allowsWrites()).isFalse();
        fence.configure(3000, 0);
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.knownSentinels()).isZero();
    }

    @Test
    void aStartFencedMasterWaitsForASentinelsReplicaofNoOneHellosAreNotEnough() {
        fence = new MasterFence(() -> now, 2000, 10_000);
        fence.started(true);
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.allowsSync()).isFalse();
        assertThat(fence.refusal()).contains("start-up");
        fence.hello(A, true, 2);
        fence.hello(B, true, 2);
        run(30_000); // sentinels watch us: the bound does not apply
        assertThat(fence.allowsWrites()).isFalse();
        fence.roleChanged(); // REPLICAOF NO ONE
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.allowsSync()).isTrue();
        fence.hello(A, true, 2);
        assertThat(fence.state()).isEqualTo(FenceState.HELD);
    }

    @Test
    void aStartFencedFormerMasterStaysFencedUntilConvertedWhenSentinelsNameAnother() {
        fence = new MasterFence(() -> now, 2000, 10_000);
        fence.started(true);
        fence.hello(A, false, 5);
        run(30_000);
        fence.hello(B, true, 4); // a stale view of a lagging sentinel
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.state()).isEqualTo(FenceState.STARTING);
        fence.roleChanged(); // the sentinels' SLAVEOF
        assertThat(fence.state()).isEqualTo(FenceState.OPEN);
    }

    @Test
    void aRestartedMasterItsReplicasKnowMoreThanStaysFencedWhateverTheHellosSay() {
        fence = new MasterFence(() -> now, 2000, 10_000);
        fence.started(true);
        fence.replicaDiverged();
        assertThat(fence.state()).isEqualTo(FenceState.DIVERGED);
        fence.hello(A, true, 0);
        fence.hello(B, true, 0);
        run(60_000);
        assertThat(fence.allowsWrites()).isFalse();
        assertThat(fence.allowsSync()).isFalse();
        assertThat(fence.refusal()).contains("replicas hold writes it lacks");
        fence.roleChanged();
        assertThat(fence.allowsWrites()).isTrue();
    }

    @Test
    void divergenceAfterTheStartFenceLiftedChangesNothing() {
        fence.replicaDiverged(); // a running master: a replica with another history simply gets a full sync
        assertThat(fence.state()).isEqualTo(FenceState.OPEN);
    }

    @Test
    void aStartFencedMasterNobodyWatchesOpensAfterTheBound() {
        fence = new MasterFence(() -> now, 2000, 10_000);
        fence.started(true);
        run(9_900);
        assertThat(fence.allowsWrites()).isFalse();
        run(200);
        assertThat(fence.allowsWrites()).isTrue();
        assertThat(fence.state()).isEqualTo(FenceState.OPEN);
    }

    @Test
    void aReplicaAtStartIsNeverStartFenced() {
        fence = new MasterFence(() -> now, 2000, 10_000);
        fence.started(false);
        assertThat(fence.state()).isEqualTo(FenceState.OPEN);
        assertThat(fence.allowsSync()).isTrue();
    }

    @Test
    void startFenceWithoutLeaseEndsInRedisBehaviour() {
        fence = new MasterFence(() -> now, 0, 10_000);
        fence.started(true);
        assertThat(fence.allowsWrites()).isFalse();
        fence.roleChanged();
        assertThat(fence.state()).isEqualTo(FenceState.OFF);
        assertThat(fence.allowsWrites()).isTrue();
    }
}
