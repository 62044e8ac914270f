package dev.cinnabar.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pure rules: leader election, replica selection, INFO and hello parsing. */
class RulesTest {
    private static final SentinelTimings T = new SentinelTimings();
    private static final long NOW = 1_000_000;

    // ------------------------------------------------------------ election

    @Test
    void vote_grantedOncePerEpochFirstComeFirstServed() {
        final LeaderElection.Vote first = LeaderElection.vote(4, null, 0, 5, "A");
        assertThat(first).isEqualTo(new LeaderElection.Vote(5, "A", 5, true, true));
        final LeaderElection.Vote second = LeaderElection.vote(5, "A", 5, 5, "B");
        assertThat(second).isEqualTo(new LeaderElection.Vote(5, "A", 5, false, false));
        final LeaderElection.Vote later = LeaderElection.vote(5, "A", 5, 6, "B");
        assertThat(later).isEqualTo(new LeaderElection.Vote(6, "B", 6, true, true));
    }

    @Test
    void vote_refusedForAnOldEpoch() {
        final LeaderElection.Vote v = LeaderElection.vote(9, "X", 3, 7, "B");
        assertThat(v).isEqualTo(new LeaderElection.Vote(9, "X", 3, false, false));
    }

    @Test
    void wins_needsAbsoluteMajorityAndQuorum() {
        // voters, quorum, votes -> wins
        final int[][] table = {
            {3, 2, 2, 1}, {3, 2, 1, 0}, {5, 2, 2, 0}, {5, 2, 3, 1}, {5, 4, 3, 0}, {5, 4, 4, 1}, {1, 1, 1, 1},
            {2, 1, 1, 0}, {2, 1, 2, 1},
        };
        for (final int[] row : table) {
            assertThat(LeaderElection.wins(row[2], row[0], row[1])).as("voters %d quorum %d votes %d",
                row[0], row[1], row[2]).isEqualTo(row[3] == 1);
        }
    }

    @Test
    void count_onlyVotesOfTheCurrentEpochAndFirstSeenWinsTies() {
        final List<SentinelInstance> peers = new ArrayList<>();
        peers.add(peer("A", 3));
        peers.add(peer("B", 3));
        peers.add(peer("B", 2));
        peers.add(peer(null, 3));
        peers.add(peer("A", 3));
        final Map<String, Integer> counts = LeaderElection.count(peers, 3);
        assertThat(counts).containsExactly(Map.entry("A", 2), Map.entry("B", 1));
        assertThat(LeaderElection.mostVoted(counts)).isEqualTo("A");
        assertThat(LeaderElection.mostVoted(Map.of())).isNull();
        final Map<String, Integer> tie = new java.util.LinkedHashMap<>();
        tie.put("X", 1);
        tie.put("Y", 1);
        assertThat(LeaderElection.mostVoted(tie)).isEqualTo("X");
    }

    private static SentinelInstance peer(final String leader, final long epoch) {
        final SentinelInstance master = master();
        final SentinelInstance s = new SentinelInstance(SentinelInstance.Kind.SENTINEL, "p",
            new SentinelAddr("10.0.0.1", "10.0.0.1", 26379), 2, master, NOW, T);
        s.leader = leader;
        s.leaderEpoch = epoch;
        return s;
    }

    // ------------------------------------------------------------ replica selection

    private static SentinelInstance master() {
        return new SentinelInstance(SentinelInstance.Kind.MASTER, "m", new SentinelAddr("127.0.0.1", "127.0.0.1",
            6379), 2, null, NOW, T);
    }

    private static SentinelInstance replica(final SentinelInstance m, final int n, final int priority,
                                            final long offset, final String runid) {
        final SentinelInstance r = new SentinelInstance(SentinelInstance.Kind.SLAVE, "r" + n,
            new SentinelAddr("127.0.0." + n, "127.0.0." + n, 6379), 2, m, NOW, T);
        r.slavePriority = priority;
        r.slaveReplOffset = offset;
        r.runid = runid;
        r.link.disconnected = false;
        r.link.lastAvailTime = NOW;
        r.infoRefresh = NOW;
        m.slaves.put(r.name, r);
        return r;
    }

    @Test
    void select_lowestPriorityThenHighestOffsetThenSmallestRunId() {
        final SentinelInstance m = master();
        replica(m, 2, 100, 500, "b");
        final SentinelInstance low = replica(m, 3, 10, 1, "z");
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(low);
        low.slavePriority = 100;
        final SentinelInstance far = replica(m, 4, 100, 900, "c");
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(far);
        final SentinelInstance sameOffset = replica(m, 5, 100, 900, "A");
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(sameOffset);
        sameOffset.runid = null;
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(far);
    }

    @Test
    void select_skipsDownDisconnectedStaleLaggingAndPriorityZero() {
        final SentinelInstance m = master();
        replica(m, 2, 0, 999, "a");
        replica(m, 3, 1, 999, "a").flags.add(InstanceFlag.S_DOWN);
        replica(m, 4, 1, 999, "a").link.disconnected = true;
        replica(m, 5, 1, 999, "a").link.lastAvailTime = NOW - 5001;
        replica(m, 6, 1, 999, "a").infoRefresh = NOW - 30_001;
        replica(m, 7, 1, 999, "a").masterLinkDownTime = m.downAfterPeriod * 10 + 1;
        assertThat(ReplicaSelector.candidates(m, NOW, T)).isEmpty();
        final SentinelInstance ok = replica(m, 8, 100, 1, "a");
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(ok);
    }

    @Test
    void select_infoMustBeFresherWhileMasterIsSdown() {
        final SentinelInstance m = master();
        m.flags.add(InstanceFlag.S_DOWN);
        m.sDownSinceTime = NOW - 1000;
        final SentinelInstance r = replica(m, 2, 100, 1, "a");
        r.infoRefresh = NOW - 6000;
        assertThat(ReplicaSelector.select(m, NOW, T)).isNull();
        r.infoRefresh = NOW - 4000;
        r.masterLinkDownTime = m.downAfterPeriod * 10 + 900;
        assertThat(ReplicaSelector.select(m, NOW, T)).isSameAs(r);
    }

    // ------------------------------------------------------------ INFO and hello

    @Test
    void info_parsesAMastersReplicasInBothFormats() {
        final InfoReply i = InfoReply.parse("# Server\r\nrun_id:" + "f".repeat(40) + "\r\n# Replication\r\n"
            + "role:master\r\nconnected_slaves:2\r\nslave0:ip=10.0.0.2,port=6380,state=online,offset=5,lag=0\r\n"
            + "slave1:10.0.0.3,6381,online\r\nslave_expires_tracked_keys:0\r\n");
        assertThat(i.runId()).isEqualTo("f".repeat(40));
        assertThat(i.role()).isEqualTo(SentinelInstance.Kind.MASTER);
        assertThat(i.slaves()).containsExactly(new InfoReply.HostPort("10.0.0.2", 6380),
            new InfoReply.HostPort("10.0.0.3", 6381));
        assertThat(i.masterHost()).isNull();
    }

    @Test
    void info_parsesAReplicasFieldsOnlyAfterRoleSlave() {
        final InfoReply i = InfoReply.parse("master_host:ignored\r\nrole:slave\r\nmaster_host:10.0.0.1\r\n"
            + "master_port:6379\r\nmaster_link_status:down\r\nmaster_link_down_since_seconds:7\r\n"
            + "slave_repl_offset:12345\r\nslave_priority:42\r\nreplica_announced:0\r\n");
        assertThat(i.role()).isEqualTo(SentinelInstance.Kind.SLAVE);
        assertThat(i.masterHost()).isEqualTo("10.0.0.1");
        assertThat(i.masterPort()).isEqualTo(6379);
        assertThat(i.linkUp()).isFalse();
        assertThat(i.masterLinkDownMs()).isEqualTo(7000);
        assertThat(i.replOffset()).isEqualTo(12345);
        assertThat(i.slavePriority()).isEqualTo(42);
        assertThat(i.replicaAnnounced()).isZero();
        assertThat(InfoReply.parse("run_id:short\r\n").runId()).isNull();
    }

    @Test
    void hello_roundTripsAndRejectsWrongFieldCounts() {
        final Hello h = new Hello("10.0.0.5", 26379, "a".repeat(40), 12, "mymaster", "10.0.0.1", 6379, 11);
        assertThat(h.format()).isEqualTo("10.0.0.5,26379," + "a".repeat(40) + ",12,mymaster,10.0.0.1,6379,11");
        assertThat(Hello.parse(h.format())).isEqualTo(h);
        assertThat(Hello.parse("1,2,3,4,5,6,7")).isNull();
        assertThat(Hello.parse("1,2,3,4,5,6,7,8,9")).isNull();
        assertThat(Hello.parse("ip,x,id,y,m,i,z,w")).isEqualTo(new Hello("ip", 0, "id", 0, "m", "i", 0, 0));
    }

    @Test
    void addresses_ipLiteralsOnlyWithoutResolveHostnames() {
        assertThat(AddressResolver.SYSTEM.resolve("127.0.0.1", false)).isEqualTo("127.0.0.1");
        assertThat(AddressResolver.SYSTEM.resolve("localhost", false)).isNull();
        assertThat(AddressResolver.SYSTEM.resolve("127.0.0.01", false)).isNull();
        assertThat(AddressResolver.SYSTEM.resolve("256.0.0.1", false)).isNull();
        assertThat(AddressResolver.SYSTEM.resolve("::1", false)).isEqualTo("::1");
        assertThat(AddressResolver.SYSTEM.resolve("fe80:0:0:1:0:0:0:2", false)).isEqualTo("fe80:0:0:1::2");
        assertThat(AddressResolver.SYSTEM.resolve("1:2:3:4:5:6:7:8", false)).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(AddressResolver.SYSTEM.resolve("localhost", true)).isNotNull();
        final SentinelAddr v6 = new SentinelAddr("::1", "::1", 6379);
        assertThat(v6.announceWithPort(false)).isEqualTo("[::1]:6379");
    }

    @Test
    void failoverStates_onlyForwardOneStepOrBackToNone() {
        for (final FailoverState from : FailoverState.values()) {
            for (final FailoverState to : FailoverState.values()) {
                final boolean expected = to == FailoverState.NONE
                    || (from == FailoverState.NONE ? to == FailoverState.WAIT_START
                        : to.ordinal() == from.ordinal() + 1);
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
            }
        }
        assertThat(FailoverState.SEND_SLAVEOF_NOONE.text()).isEqualTo("send_slaveof_noone");
    }
}
