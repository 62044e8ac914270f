package dev.cinnabar.sentinel;

import java.util.ArrayList;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.sentinel.SentinelEventSink.Level;

/**
 * SDOWN, ODOWN and the questions to the other sentinels. Redis: sentinel.c sentinelCheckSubjectivelyDown(),
 * sentinelCheckObjectivelyDown(), sentinelAskMasterStateToOtherSentinels(), sentinelReceiveIsMasterDownReply().
 *
 * <p>Why two levels: one sentinel's view (SDOWN) may be a network partition of its own; a failover needs
 * {@code quorum} sentinels agreeing (ODOWN) within a short window. ODOWN is a weak agreement (answers up to 5 ask
 * periods old count), which is enough to start an election, where the strong majority rule applies.
 *
 * <ol>
 * <li>SDOWN: the oldest unanswered PING (or, with no link, the last valid reply) is older than down-after; or a
 *     master has reported itself a replica for down-after + 2 INFO periods; or a rebooted master stays unavailable
 *     past master-reboot-down-after-period; or (Cinnabar) a master fenced at start-up has less than its
 *     replicas (InfoRefresher's fenceBehind): it refuses writes and syncs until failed over.</li>
 * <li>A command link with a PING pending for half of down-after (after 15 s of age) and a pub/sub link silent for 3
 *     publish periods are closed and reopened: the instance may be fine, the connection not.</li>
 * <li>While we think the master is SDOWN we ask each connected sentinel every ask period (at once when we start a
 *     failover), passing our run id only while we run a failover, to ask for a vote.</li>
 * <li>(Cinnabar) An answer that newly says "down" or names a new vote is acted on when it arrives, not at the next
 *     tick as in Redis: it may be the one that completes ODOWN or elects us.</li>
 * </ol>
 */
final class FailureDetector {
    private final Sentinel s;

    FailureDetector(final Sentinel s) {
        this.s = s;
    }

    void checkSubjectivelyDown(final SentinelInstance ri, final long nowMs) {
        final InstanceLink link = ri.link;
        long elapsed = 0;
        if (link.actPingTime != 0) {
            elapsed = nowMs - link.actPingTime;
        } else if (link.disconnected) {
            elapsed = nowMs - link.lastAvailTime;
        }
        final long half = ri.downAfterPeriod / 2;
        if (link.cc != null && nowMs - link.ccConnTime > s.timings.minLinkReconnectPeriod && link.actPingTime != 0
            && nowMs - link.actPingTime > half && nowMs - link.lastPongTime > half) {
            link.closeConnection(link.cc);
        }
        if (link.pc != null && nowMs - link.pcConnTime > s.timings.minLinkReconnectPeriod
            && nowMs - link.pcLastActivity > s.timings.publishPeriod * 3) {
            link.closeConnection(link.pc);
        }
        final boolean down = elapsed > ri.downAfterPeriod
            || (ri.isMaster() && ri.roleReported == SentinelInstance.Kind.SLAVE
                && nowMs - ri.roleReportedTime > ri.downAfterPeriod + s.timings.infoPeriod * 2)
            || (ri.has(InstanceFlag.MASTER_REBOOT)
                && nowMs - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod)
            || (ri.isMaster() && ri.fenceBehind);
        if (down) {
            if (!ri.has(InstanceFlag.S_DOWN)) {
                s.instanceEvent(Level.WARNING, "+sdown", ri, "");
                ri.sDownSinceTime = nowMs;
                ri.flags.add(InstanceFlag.S_DOWN);
            }
        } else if (ri.has(InstanceFlag.S_DOWN)) {
            s.instanceEvent(Level.WARNING, "-sdown", ri, "");
            ri.flags.remove(InstanceFlag.S_DOWN);
            ri.flags.remove(InstanceFlag.SCRIPT_KILL_SENT);
        }
    }

    void checkObjectivelyDown(final SentinelInstance master, final long nowMs) {
        int quorum = 0;
        boolean odown = false;
        if (master.has(InstanceFlag.S_DOWN)) {
            quorum = 1;
            for (final SentinelInstance ri : master.sentinels.values()) {
                if (ri.has(InstanceFlag.MASTER_DOWN)) {
                    quorum++;
                }
            }
            odown = quorum >= master.quorum;
        }
        if (odown) {
            if (!master.has(InstanceFlag.O_DOWN)) {
                s.instanceEvent(Level.WARNING, "+odown", master, " #quorum " + quorum + "/" + master.quorum);
                master.flags.add(InstanceFlag.O_DOWN);
                master.oDownSinceTime = nowMs;
            }
        } else if (master.has(InstanceFlag.O_DOWN)) {
            s.instanceEvent(Level.WARNING, "-odown", master, "");
            master.flags.remove(InstanceFlag.O_DOWN);
        }
    }

    void askMasterStateToOtherSentinels(final SentinelInstance master, final boolean forced, final long nowMs) {
        for (final SentinelInstance ri : new ArrayList<>(master.sentinels.values())) {
            final long elapsed = nowMs - ri.lastMasterDownReplyTime;
            if (elapsed > s.timings.askPeriod * 5) {
                ri.flags.remove(InstanceFlag.MASTER_DOWN);
                ri.leader = null;
            }
            if (!master.has(InstanceFlag.S_DOWN) || ri.link.disconnected || ri.link.cc == null) {
                continue;
            }
            if (!forced && nowMs - ri.lastMasterDownReplyTime < s.timings.askPeriod) {
                continue;
            }
            final InstanceLink link = ri.link;
            link.cc.command(r -> onIsMasterDownReply(master, ri, link, r), ri.mapCommand("SENTINEL"),
                "is-master-down-by-addr", master.addr.announce(s.announceHostnames),
                Integer.toString(master.addr.port()), Long.toUnsignedString(s.currentEpoch),
                master.failoverState != FailoverState.NONE ? s.myid : "*");
            link.pendingCommands++;
        }
    }

    private void onIsMasterDownReply(final SentinelInstance master, final SentinelInstance ri, final InstanceLink link,
                                     final RespValue r) {
        link.pendingCommands--;
        if (ri.released) {
            return;
        }
        // anything unexpected is ignored: MASTER_DOWN then expires with the reply time
        if (!r.is(RespValue.Type.ARRAY) || r.size() != 3 || !r.get(0).is(RespValue.Type.INTEGER)
            || !r.get(1).is(RespValue.Type.BULK) || !r.get(2).is(RespValue.Type.INTEGER)) {
            return;
        }
        final long nowMs = s.env.clock().getAsLong();
        ri.lastMasterDownReplyTime = nowMs;
        boolean decisive = false;
        if (r.get(0).integer() == 1) {
            decisive = ri.flags.add(InstanceFlag.MASTER_DOWN);
        } else {
            ri.flags.remove(InstanceFlag.MASTER_DOWN);
        }
        final String leader = r.get(1).string();
        if (!leader.equals("*")) {
            final long epoch = r.get(2).integer();
            if (ri.leaderEpoch != epoch) {
                s.log(Level.WARNING, ri.name + " voted for " + leader + " " + Long.toUnsignedString(epoch));
            }
            decisive |= ri.leaderEpoch != epoch || !leader.equals(ri.leader);
            ri.leader = leader;
            ri.leaderEpoch = epoch;
        }
        if (decisive && !s.tilt && !master.released && master.has(InstanceFlag.S_DOWN)) {
            s.checkMaster(master, nowMs);
        }
    }
}
