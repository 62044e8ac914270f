package dev.cinnabar.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery, links, periodic commands, SDOWN, ODOWN and TILT, stepped on a fake clock. */
class DetectionTest {
    static final String CONFIG = "sentinel monitor mymaster 127.0.0.1 6379 2\n"
        + "sentinel down-after-milliseconds mymaster 3000\n";
    static final String B = "b".repeat(40);
    static final String C = "c".repeat(40);

    Harness h;
    FakeNet.DataNode m;
    FakeNet.DataNode r1;
    FakeNet.DataNode r2;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness();
        m = h.net.data("127.0.0.1", 6379, "a".repeat(40));
        r1 = h.net.data("127.0.0.2", 6379, "1".repeat(40));
        r2 = h.net.data("127.0.0.3", 6379, "2".repeat(40));
        r1.replicaOf(m);
        r2.replicaOf(m);
        h.config(CONFIG);
    }

    /** Peers announce themselves with hello messages on the master's pub/sub link. */
    void helloFromPeers(final FakeNet.PeerSentinel... peers) {
        final FakeNet.Conn pubsub = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription != null)
            .findFirst().orElseThrow();
        for (final FakeNet.PeerSentinel p : peers) {
            pubsub.message(Sentinel.HELLO_CHANNEL, p.ip + "," + p.port + "," + p.runid + ",0,mymaster,127.0.0.1,6379,0");
        }
    }

    @Test
    void shouldConnectNameSubscribeAndDiscoverReplicasWhenStarted() {
        h.step(200);
        assertThat(h.net.log).contains("127.0.0.1:6379 CLIENT SETNAME sentinel-01234567-cmd",
            "127.0.0.1:6379 PING", "127.0.0.1:6379 INFO",
            "127.0.0.1:6379 CLIENT SETNAME sentinel-01234567-pubsub",
            "127.0.0.1:6379 SUBSCRIBE __sentinel__:hello");
        assertThat(h.events).contains("+monitor master mymaster 127.0.0.1 6379 quorum 2",
            "+slave slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.1 6379",
            "+slave slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379");
        h.step(1000);
        final SentinelInstance replica = h.master("mymaster").slaves.get("127.0.0.2:6379");
        assertThat(replica.runid).isEqualTo("1".repeat(40));
        assertThat(replica.slaveMasterHost).isEqualTo("127.0.0.1");
        assertThat(replica.slaveMasterLinkUp).isTrue();
        assertThat(h.savedConfig).contains("sentinel known-replica mymaster 127.0.0.2 6379",
            "sentinel known-replica mymaster 127.0.0.3 6379");
    }

    @Test
    void shouldPublishHelloInRedisFormatEveryTwoSeconds() {
        h.step(2500);
        final List<String> hellos = h.net.log.stream().filter(l -> l.startsWith("127.0.0.1:6379 PUBLISH")).toList();
        assertThat(hellos).contains("127.0.0.1:6379 PUBLISH __sentinel__:hello "
            + "127.0.0.9,26379,0123456789012345678901234567890123456789,0,mymaster,127.0.0.1,6379,0");
        final int before = hellos.size();
        h.step(2000);
        final long after = h.net.log.stream().filter(l -> l.startsWith("127.0.0.1:6379 PUBLISH")).count();
        assertThat(after).isEqualTo(before + 1);
    }

    @Test
    void shouldSendInfoEveryTenSecondsAndPingEverySecond() {
        h.step(1000);
        final long infos = infosTo(m);
        final long pings = h.net.receivedBy(m, "PING").size();
        h.step(9000);
        assertThat(infosTo(m)).isEqualTo(infos);
        assertThat(h.net.receivedBy(m, "PING").size()).isBetween((int) pings + 8, (int) pings + 10);
        h.step(2000);
        assertThat(infosTo(m)).isEqualTo(infos + 1);
    }

    private long infosTo(final FakeNet.Node n) {
        return h.net.receivedBy(n, "INFO").size();
    }

    @Test
    void shouldDiscoverSentinelsFromHelloAndPersistThem() {
        h.net.peer("127.0.0.11", 26379, B);
        h.step(300);
        helloFromPeers((FakeNet.PeerSentinel) h.net.nodes.get("127.0.0.11:26379"));
        assertThat(h.events).contains("+sentinel sentinel " + B + " 127.0.0.11 26379 @ mymaster 127.0.0.1 6379");
        assertThat(h.savedConfig).contains("sentinel known-sentinel mymaster 127.0.0.11 26379 " + B);
        h.step(2500);
        assertThat(h.net.log).anyMatch(l -> l.startsWith("127.0.0.11:26379 PUBLISH __sentinel__:hello"));
    }

    @Test
    void shouldIgnoreOwnHelloAndAdoptNewerEpoch() {
        h.step(300);
        final FakeNet.Conn pubsub = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription != null)
            .findFirst().orElseThrow();
        pubsub.message(Sentinel.HELLO_CHANNEL, "127.0.0.9,26379," + h.sentinel.myid + ",0,mymaster,127.0.0.1,6379,0");
        assertThat(h.master("mymaster").sentinels).isEmpty();
        pubsub.message(Sentinel.HELLO_CHANNEL, "127.0.0.11,26379," + B + ",7,mymaster,127.0.0.1,6379,0");
        assertThat(h.sentinel.currentEpoch).isEqualTo(7);
        assertThat(h.events).contains("+new-epoch 7");
    }

    @Test
    void shouldMarkSdownAfterDownAfterWithoutValidReplyAndClearIt() {
        h.step(2000);
        assertThat(h.master("mymaster").has(InstanceFlag.S_DOWN)).isFalse();
        m.down = true;
        h.step(3000);
        assertThat(h.hasEvent("+sdown master")).isFalse();
        h.step(1200);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
        assertThat(h.sentinel.infoSection(h.now)).contains("master0:name=mymaster,status=sdown,"
            + "address=127.0.0.1:6379,slaves=2,sentinels=1");
        m.down = false;
        h.step(200);
        assertThat(h.events).contains("-sdown master mymaster 127.0.0.1 6379");
        assertThat(h.master("mymaster").has(InstanceFlag.S_DOWN)).isFalse();
    }

    @Test
    void shouldConfirmACinnabarMasterFencedAtStartWhenNoReplicaIsAhead() {
        m.fence = "starting"; // offsets: master 100, replicas 100
        h.step(12_000);
        assertThat(h.net.log).contains("127.0.0.1:6379 SLAVEOF NO ONE");
        assertThat(h.events).contains("+fence-lift master mymaster 127.0.0.1 6379");
        assertThat(h.hasEvent("+sdown master")).isFalse();
    }

    @Test
    void shouldMarkSdownACinnabarMasterRestartedWithLessThanItsReplicas() {
        h.step(12_000); // replicas seen at offset 100
        m.fence = "starting";
        m.offset = 0; // restarted empty
        h.step(10_500);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
        assertThat(h.net.log).doesNotContain("127.0.0.1:6379 SLAVEOF NO ONE");
        m.fence = "diverged"; // a replica asked it for a history it lacks: down whatever the offsets
        m.offset = 500;
        h.step(1_200);
        assertThat(h.master("mymaster").has(InstanceFlag.S_DOWN)).isTrue();
        m.fence = "open";
        h.step(1_200);
        assertThat(h.events).contains("-sdown master mymaster 127.0.0.1 6379");
    }

    @Test
    void shouldAskTheReplicasAgainBeforeConfirmingARestartedMaster() {
        r1.offset = 1; // what the replicas reported right after the fleet started
        r2.offset = 1;
        h.step(12_000);
        r1.offset = 9000; // since then: writes, a kill, a restart with nothing
        r2.offset = 9000;
        m.offset = 0;
        m.fence = "starting";
        h.step(10_500);
        assertThat(h.net.log).doesNotContain("127.0.0.1:6379 SLAVEOF NO ONE");
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
    }

    @Test
    void shouldLeaveARedisMasterAsRedisSentinelDoes() {
        m.offset = 0; // no cinnabar_fence line: nothing Cinnabar-specific applies
        h.step(12_000);
        assertThat(h.net.log).doesNotContain("127.0.0.1:6379 SLAVEOF NO ONE");
        assertThat(h.hasEvent("+sdown master")).isFalse();
    }

    /** The commands {@code n} received from us, "CONFIG SET ..." and such, in order. */
    List<String> configCommands(final FakeNet.DataNode n) {
        return h.net.receivedBy(n, "CONFIG").stream().map(a -> String.join(" ", a)).toList();
    }

    @Test
    void shouldSetTheStartFenceOfCinnabarNodesOnceAndRewriteTheirConfig() {
        for (final FakeNet.DataNode n : List.of(m, r1, r2)) {
            n.startFencedMs = 0L;
        }
        h.step(1_000);
        // down-after 3000: max(min-link-reconnect-period 15 s, 1.5 s + ping) + ping 1 s + 2 publish periods (2 s)
        for (final FakeNet.DataNode n : List.of(m, r1, r2)) {
            assertThat(configCommands(n)).containsExactly("CONFIG SET cinnabar-start-fenced-ms 20000",
                "CONFIG REWRITE");
            assertThat(n.startFencedMs).isEqualTo(20_000L);
        }
        assertThat(h.events).contains("+start-fence-set master mymaster 127.0.0.1 6379 20000 ms",
            "+start-fence-set slave 127.0.0.2:6379 127.0.0.2 6379 @ mymaster 127.0.0.1 6379 20000 ms");
        h.step(30_000);
        for (final FakeNet.DataNode n : List.of(m, r1, r2)) {
            assertThat(configCommands(n)).as("already set: not again").hasSize(2);
        }
    }

    @Test
    void shouldLeaveTheStartFenceOfRedisNodesAndLongerOnesAlone() {
        m.startFencedMs = 60_000L; // an operator's longer choice
        // r1 and r2 have no cinnabar_start_fenced_ms line: real Redis servers
        h.step(31_000);
        assertThat(h.net.log).noneMatch(l -> l.contains("CONFIG SET"));
        assertThat(h.hasEvent("+start-fence-set")).isFalse();
        assertThat(m.startFencedMs).isEqualTo(60_000L);
    }

    @Test
    void shouldTellOnceANodeThatRefusesOrCannotRewriteAndAskAgainOnlyAfterARestart() {
        m.startFencedMs = 0L;
        m.noConfigFile = true;
        r1.startFencedMs = 0L;
        r1.refuseStartFence = true;
        h.step(31_000);
        assertThat(configCommands(m)).containsExactly("CONFIG SET cinnabar-start-fenced-ms 20000", "CONFIG REWRITE");
        assertThat(m.startFencedMs).as("in effect until it restarts").isEqualTo(20_000L);
        assertThat(configCommands(r1)).hasSize(2);
        assertThat(h.events).filteredOn(e -> e.startsWith("-start-fence-not-persisted master mymaster")).hasSize(1);
        assertThat(h.events).filteredOn(e -> e.startsWith("-start-fence-refused slave 127.0.0.2:6379")).hasSize(1);
        // restarted without its setting (no file to keep it in): a new run id, told once more
        m.runid = "d".repeat(40);
        m.startFencedMs = 0L;
        h.step(11_000);
        assertThat(configCommands(m)).hasSize(4);
        assertThat(configCommands(r1)).hasSize(2);
    }

    @Test
    void shouldSetTheStartFenceThroughARenamedConfigAndFromTheMastersDownAfter() throws Exception {
        final Harness other = new Harness();
        final FakeNet.DataNode node = other.net.data("127.0.0.1", 6379, "a".repeat(40));
        node.startFencedMs = 0L;
        other.config("sentinel monitor mymaster 127.0.0.1 6379 2\n"
            + "sentinel down-after-milliseconds mymaster 60000\n"
            + "sentinel rename-command mymaster CONFIG XCONFIG\n");
        other.step(1_000);
        // down-after 60000: 30 s + ping 1 s, + ping 1 s + 2 publish periods
        assertThat(other.net.log).contains("127.0.0.1:6379 XCONFIG SET cinnabar-start-fenced-ms 36000",
            "127.0.0.1:6379 XCONFIG REWRITE");
    }

    @Test
    void shouldMarkSdownWhenMasterCannotBeReached() {
        h.step(1000);
        for (final FakeNet.Conn c : h.net.open("127.0.0.1", 6379)) {
            c.lose();
        }
        m.refusing = true;
        h.step(3500);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
        assertThat(SentinelCommands.flags(h.master("mymaster"))).isEqualTo("s_down,master,disconnected");
    }

    @Test
    void shouldMarkOdownWhenQuorumAgreesAndClearItWhenTheyStop() {
        final FakeNet.PeerSentinel p1 = h.net.peer("127.0.0.11", 26379, B);
        final FakeNet.PeerSentinel p2 = h.net.peer("127.0.0.12", 26379, C);
        h.sentinel.failover.state(h.master("mymaster"), FailoverState.NONE, 0);
        h.master("mymaster").failoverStartTime = h.now + 1_000_000; // no failover in this test
        h.step(300);
        helloFromPeers(p1, p2);
        h.step(1000);
        m.down = true;
        p1.thinksDown = true;
        h.step(4500);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379",
            "+odown master mymaster 127.0.0.1 6379 #quorum 2/2");
        assertThat(h.net.log).anyMatch(l -> l.equals("127.0.0.11:26379 SENTINEL is-master-down-by-addr 127.0.0.1 "
            + "6379 0 *"));
        p1.thinksDown = false;
        h.step(1500);
        assertThat(h.events).contains("-odown master mymaster 127.0.0.1 6379");
    }

    @Test
    void shouldMarkOdownWhenTheAnswerCompletingTheQuorumArrivesNotAtTheNextTick() {
        final FakeNet.PeerSentinel p1 = h.net.peer("127.0.0.11", 26379, B);
        h.master("mymaster").failoverStartTime = h.now + 1_000_000; // no failover in this test
        h.step(300);
        helloFromPeers(p1);
        h.step(1000);
        m.down = true;
        p1.thinksDown = true;
        for (int i = 0; i < 100 && !h.hasEvent("+sdown master"); i++) {
            h.net.pump();
            h.now += 100;
            h.sentinel.tick(h.now);
        }
        assertThat(h.hasEvent("+sdown master")).isTrue();
        assertThat(h.hasEvent("+odown")).isFalse();
        // the tick that saw SDOWN asked the peer; its answer alone completes the quorum of 2
        h.net.pump();
        assertThat(h.events).contains("+odown master mymaster 127.0.0.1 6379 #quorum 2/2");
    }

    @Test
    void shouldForgetPeerOpinionsOlderThanFiveAskPeriods() {
        final FakeNet.PeerSentinel p1 = h.net.peer("127.0.0.11", 26379, B);
        h.master("mymaster").failoverStartTime = h.now + 1_000_000;
        h.step(300);
        helloFromPeers(p1);
        m.down = true;
        p1.thinksDown = true;
        h.step(5000);
        final SentinelInstance peer = h.master("mymaster").sentinels.get(B);
        assertThat(peer.has(InstanceFlag.MASTER_DOWN)).isTrue();
        p1.down = true;
        h.step(6000);
        assertThat(peer.has(InstanceFlag.MASTER_DOWN)).isFalse();
        assertThat(h.events).contains("-odown master mymaster 127.0.0.1 6379");
    }

    @Test
    void shouldEnterTiltOnClockJumpAndActAgainOnlyAfterTiltPeriod() {
        h.step(1000);
        h.now += 5000;
        h.sentinel.tick(h.now);
        assertThat(h.events).contains("+tilt #tilt mode entered");
        assertThat(h.sentinel.infoSection(h.now)).contains("sentinel_tilt:1\r\nsentinel_tilt_since_seconds:0\r\n");
        m.down = true;
        h.step(20_000);
        assertThat(h.hasEvent("+sdown")).isFalse();
        h.step(10_100);
        assertThat(h.events).contains("-tilt #tilt mode exited");
        h.step(200);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
    }

    @Test
    void shouldEnterTiltWhenClockGoesBack() {
        h.step(500);
        h.now -= 1;
        h.sentinel.tick(h.now);
        assertThat(h.sentinel.inTilt()).isTrue();
    }

    @Test
    void shouldReconnectLostLinksAndStayUp() {
        h.step(1000);
        for (final FakeNet.Conn c : h.net.open("127.0.0.1", 6379)) {
            c.lose();
        }
        assertThat(h.master("mymaster").link.disconnected).isTrue();
        h.step(1100);
        assertThat(h.net.open("127.0.0.1", 6379)).hasSize(2);
        assertThat(h.master("mymaster").link.disconnected).isFalse();
        assertThat(h.hasEvent("+sdown")).isFalse();
    }

    @Test
    void shouldCloseCommandLinkWithPendingPingAfterHalfDownAfter() {
        h.step(16_000);
        m.down = true;
        final FakeNet.Conn before = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription == null)
            .findFirst().orElseThrow();
        h.step(2_500);
        assertThat(before.closed).isTrue();
    }

    @Test
    void shouldSendScriptKillWhenBusyAndSdown() {
        h.step(1000);
        final SentinelInstance master = h.master("mymaster");
        master.flags.add(InstanceFlag.S_DOWN);
        final FakeNet.Conn cc = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription == null)
            .findFirst().orElseThrow();
        h.sentinel.monitor.sendPing(master, h.now);
        final Object[] ping = cc.pending.pollLast();
        @SuppressWarnings("unchecked")
        final java.util.function.Consumer<dev.cinnabar.protocol.client.RespValue> cb =
            (java.util.function.Consumer<dev.cinnabar.protocol.client.RespValue>) ping[1];
        cb.accept(FakeNet.error("BUSY Redis is busy running a script."));
        assertThat(h.net.log).contains("127.0.0.1:6379 SCRIPT KILL");
        assertThat(master.has(InstanceFlag.SCRIPT_KILL_SENT)).isTrue();
    }

    @Test
    void shouldUseInfoEverySecondForReplicasWithTheirLinkDown() {
        h.step(1000);
        r1.linkUp = false;
        h.step(10_500);
        final long before = h.net.receivedBy(r1, "INFO").size();
        h.step(3000);
        assertThat(h.net.receivedBy(r1, "INFO").size()).isGreaterThanOrEqualTo((int) before + 2);
    }

    @Test
    void shouldMarkRebootedMasterDownAfterRebootPeriod() throws Exception {
        h.step(1000);
        final SentinelInstance master = h.master("mymaster");
        master.masterRebootDownAfterPeriod = 500;
        h.sentinel.infoRefresher.refresh(master, "run_id:" + "f".repeat(40) + "\r\nrole:master\r\n", h.now);
        assertThat(h.events).contains("+reboot master mymaster 127.0.0.1 6379");
        m.down = true;
        h.step(700);
        assertThat(h.events).contains("+sdown master mymaster 127.0.0.1 6379");
    }
}
