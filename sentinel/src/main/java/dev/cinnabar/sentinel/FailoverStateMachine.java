package dev.cinnabar.sentinel;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.sentinel.SentinelEventSink.Level;

/**
 * The failover of one master, as an explicit state machine. Redis: sentinel.c sentinelStartFailoverIfNeeded(),
 * sentinelFailoverStateMachine() and the sentinelFailover* functions, sentinelGetLeader(), sentinelAbortFailover().
 *
 * <p>Why this shape: the failover spans many ticks and depends on replies seen in INFO, so each state is a step that
 * either waits, times out, or moves on, and {@link #state} is the one place a state is assigned (logging nothing
 * itself, checking the move is legal, stamping the change time). Timeouts are measured from that stamp.
 *
 * <pre>
 * NONE -> WAIT_START         ODOWN (or SENTINEL FAILOVER); new epoch; +try-failover
 * WAIT_START -> SELECT_SLAVE  elected leader for the failover epoch (or forced); +elected-leader
 * WAIT_START -> NONE          not elected within min(election-timeout, failover-timeout)
 * SELECT_SLAVE -> WAIT_CATCHUP        a replica qualifies (ReplicaSelector); else NONE. A reachable master is
 *                                      fenced: CLIENT PAUSE WRITE, then INFO for its offset
 * WAIT_CATCHUP -> SEND_SLAVEOF_NOONE   the replica reached the fenced master's offset, or nothing was fenced;
 *                                      NONE (master unpaused) when it does not within half the failover-timeout
 * SEND_SLAVEOF_NOONE -> WAIT_PROMOTION the promotion transaction is sent; NONE after failover-timeout disconnected
 * WAIT_PROMOTION -> RECONF_SLAVES      the replica's INFO says role:master (one is sent right behind the
 *                                       promotion); NONE after failover-timeout
 * RECONF_SLAVES -> UPDATE_CONFIG       every reachable replica follows the new master, or failover-timeout
 * UPDATE_CONFIG -> NONE                the master record switches to the new address (+switch-master)
 * </pre>
 *
 * <ol>
 * <li>A failover is aborted only up to WAIT_PROMOTION; after the promotion it always completes.</li>
 * <li>A new attempt for the same master waits 2 x failover-timeout after the previous start.</li>
 * <li>At most parallel-syncs replicas are being reconfigured at once.</li>
 * <li>Cinnabar's coordinated failover (WAIT_CATCHUP): asynchronous replication lets Redis lose every write the old
 *     master acknowledges between the promotion and its demotion (a SENTINEL FAILOVER loses seconds of them). A
 *     master still answering is paused for writes first, the chosen replica must reach the offset the master had once
 *     paused, and the master is demoted, its paused writers disconnected, as soon as the promotion is seen: no write
 *     the old master acknowledged is missing on the new one. The pause lasts failover-timeout at most, so a sentinel
 *     that dies mid-way costs availability for that long, never data. A master that does not answer (down, asleep)
 *     is not waited for: that case keeps Redis's behaviour.</li>
 * </ol>
 */
final class FailoverStateMachine {
    private static final DateTimeFormatter CTIME =
        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private final Sentinel s;

    FailoverStateMachine(final Sentinel s) {
        this.s = s;
    }

    /** The only assignment of a master's failover state. */
    void state(final SentinelInstance master, final FailoverState next, final long changeTimeMs) {
        final FailoverState from = master.failoverState;
        if (!from.canMoveTo(next) && from != next) {
            throw new IllegalStateException("failover of " + master.name + ": " + from + " -> " + next);
        }
        master.failoverState = next;
        master.failoverStateChangeTime = changeTimeMs;
    }

    /** sentinelStartFailoverIfNeeded: ODOWN, no failover running, none started in the last 2 x failover-timeout. */
    boolean startIfNeeded(final SentinelInstance master, final long nowMs) {
        if (!master.has(InstanceFlag.O_DOWN) || master.has(InstanceFlag.FAILOVER_IN_PROGRESS)) {
            return false;
        }
        if (nowMs - master.failoverStartTime < master.failoverTimeout * 2) {
            if (master.failoverDelayLogged != master.failoverStartTime) {
                final long at = (master.failoverStartTime + master.failoverTimeout * 2) / 1000 * 1000;
                master.failoverDelayLogged = master.failoverStartTime;
                s.log(Level.WARNING, "Next failover delay: I will not start a failover before "
                    + CTIME.format(Instant.ofEpochMilli(at).atZone(ZoneId.systemDefault())));
            }
            return false;
        }
        start(master, nowMs);
        return true;
    }

    /** sentinelStartFailover: a new epoch is ours to ask votes for. */
    void start(final SentinelInstance master, final long nowMs) {
        state(master, FailoverState.WAIT_START, nowMs);
        master.flags.add(InstanceFlag.FAILOVER_IN_PROGRESS);
        master.failoverEpoch = ++s.currentEpoch;
        s.event(Level.WARNING, "+new-epoch", master, Long.toUnsignedString(s.currentEpoch));
        s.instanceEvent(Level.WARNING, "+try-failover", master, "");
        master.failoverStartTime = nowMs + s.env.random().nextInt(Sentinel.MAX_DESYNC);
    }

    /** sentinelFailoverStateMachine: one step of a running failover. */
    void step(final SentinelInstance master, final long nowMs) {
        if (!master.has(InstanceFlag.FAILOVER_IN_PROGRESS)) {
            return;
        }
        switch (master.failoverState) {
            case WAIT_START -> waitStart(master, nowMs);
            case SELECT_SLAVE -> selectSlave(master, nowMs);
            case WAIT_CATCHUP -> waitCatchup(master, nowMs);
            case SEND_SLAVEOF_NOONE -> sendSlaveOfNoOne(master, nowMs);
            case WAIT_PROMOTION -> waitPromotion(master, nowMs);
            case RECONF_SLAVES -> reconfNextSlave(master, nowMs);
            default -> {
                // NONE cannot carry FAILOVER_IN_PROGRESS; UPDATE_CONFIG is finished by switchToPromotedSlave
            }
        }
    }

    private void waitStart(final SentinelInstance master, final long nowMs) {
        final String leader = leader(master, master.failoverEpoch, nowMs);
        final boolean isLeader = leader != null && leader.equalsIgnoreCase(s.myid);
        if (!isLeader && !master.has(InstanceFlag.FORCE_FAILOVER)) {
            final long electionTimeout = Math.min(s.timings.electionTimeout, master.failoverTimeout);
            if (nowMs - master.failoverStartTime > electionTimeout) {
                s.instanceEvent(Level.WARNING, "-failover-abort-not-elected", master, "");
                abort(master, nowMs);
            }
            return;
        }
        s.instanceEvent(Level.WARNING, "+elected-leader", master, "");
        if ((s.simFailureFlags & Sentinel.SIMFAILURE_CRASH_AFTER_ELECTION) != 0) {
            s.simFailureCrash();
        }
        state(master, FailoverState.SELECT_SLAVE, nowMs);
        s.instanceEvent(Level.WARNING, "+failover-state-select-slave", master, "");
    }

    private void selectSlave(final SentinelInstance master, final long nowMs) {
        final SentinelInstance slave = ReplicaSelector.select(master, nowMs, s.timings);
        if (slave == null) {
            // (Cinnabar) where Redis aborts at once and retries only after 2 × failover-timeout, give
            // replicas whose INFO is merely stale one validity window to answer the INFO asked at ODOWN
            if (nowMs - master.failoverStateChangeTime <= ReplicaSelector.infoValidity(master, s.timings)
                && ReplicaSelector.awaitingFreshInfo(master, nowMs, s.timings)) {
                return;
            }
            s.instanceEvent(Level.WARNING, "-failover-abort-no-good-slave", master, "");
            abort(master, nowMs);
            return;
        }
        s.instanceEvent(Level.WARNING, "+selected-slave", slave, "");
        slave.flags.add(InstanceFlag.PROMOTED);
        master.promotedSlave = slave;
        state(master, FailoverState.WAIT_CATCHUP, nowMs);
        if (s.coordinatedFailover && !master.has(InstanceFlag.S_DOWN) && !master.link.disconnected
            && fence(master)) {
            s.instanceEvent(Level.NOTICE, "+failover-state-wait-catchup", slave, "");
            return;
        }
        toSendSlaveOfNoOne(master, nowMs);
    }

    private void toSendSlaveOfNoOne(final SentinelInstance master, final long nowMs) {
        state(master, FailoverState.SEND_SLAVEOF_NOONE, nowMs);
        s.instanceEvent(Level.NOTICE, "+failover-state-send-slaveof-noone", master.promotedSlave, "");
    }

    /** CLIENT PAUSE WRITE for the failover-timeout, then INFO: its master_repl_offset covers every write acknowledged. */
    private boolean fence(final SentinelInstance master) {
        if (!s.monitor.pauseWrites(master, master.failoverTimeout)) {
            return false;
        }
        master.fenced = true;
        master.fenceOffset = -1;
        master.link.cc.command(r -> {
            final long offset = infoField(r, "master_repl_offset:");
            if (master.fenced) {
                master.fenceOffset = offset;
            }
        }, master.mapCommand("INFO"), "replication");
        s.instanceEvent(Level.WARNING, "+fence-master", master, "");
        return true;
    }

    /** Lifts the fence of a master whose failover is abandoned: its clients' writes go on where they were. */
    private void unfence(final SentinelInstance master) {
        if (!master.fenced) {
            return;
        }
        master.fenced = false;
        master.fenceOffset = -1;
        s.monitor.unpauseWrites(master);
        s.instanceEvent(Level.WARNING, "-fence-master", master, "");
    }

    /** The numeric field {@code prefix} of an INFO reply, or -1 (an error reply, or no such field). */
    static long infoField(final RespValue r, final String prefix) {
        if (r.isError() || r.string() == null) {
            return -1;
        }
        for (final String line : r.string().split("\r\n")) {
            if (line.startsWith(prefix)) {
                return Numbers.strtoull(line.substring(prefix.length()));
            }
        }
        return -1;
    }

    /**
     * The chosen replica must hold every byte the fenced master acknowledged: ask its offset until it reaches the
     * master's, one query in flight at a time; half the failover-timeout without that aborts (unpausing the master).
     */
    private void waitCatchup(final SentinelInstance master, final long nowMs) {
        final SentinelInstance promoted = master.promotedSlave;
        if (master.fenceOffset >= 0 && promoted.catchupOffset >= master.fenceOffset) {
            s.instanceEvent(Level.NOTICE, "+replica-caught-up", promoted, "offset " + promoted.catchupOffset);
            promoted.catchupOffset = -1;
            toSendSlaveOfNoOne(master, nowMs);
            return;
        }
        if (nowMs - master.failoverStateChangeTime > master.failoverTimeout / 2) {
            s.instanceEvent(Level.WARNING, "-failover-abort-catchup-timeout", master, "");
            abort(master, nowMs);
            return;
        }
        final LinkConnection cc = promoted.link.cc;
        if (master.fenceOffset >= 0 && !promoted.catchupQueryPending && cc != null) {
            promoted.catchupQueryPending = true;
            cc.command(r -> {
                promoted.catchupQueryPending = false;
                promoted.catchupOffset = infoField(r, "slave_repl_offset:");
            }, promoted.mapCommand("INFO"), "replication");
        }
    }

    private void sendSlaveOfNoOne(final SentinelInstance master, final long nowMs) {
        final SentinelInstance promoted = master.promotedSlave;
        if (promoted.link.disconnected) {
            if (nowMs - master.failoverStateChangeTime > master.failoverTimeout) {
                s.instanceEvent(Level.WARNING, "-failover-abort-slave-timeout", master, "");
                abort(master, nowMs);
            }
            return;
        }
        if (!s.monitor.sendSlaveOf(promoted, null)) {
            return;
        }
        // (Cinnabar) an INFO right behind the transaction on the same link is answered after it, so
        // it reports role:master at once; Redis waits for its next 1 s INFO (half a second on average)
        s.monitor.sendInfo(promoted);
        s.instanceEvent(Level.NOTICE, "+failover-state-wait-promotion", promoted, "");
        state(master, FailoverState.WAIT_PROMOTION, nowMs);
    }

    /** The promotion is seen in INFO, not here: this state only times out. */
    private void waitPromotion(final SentinelInstance master, final long nowMs) {
        if (nowMs - master.failoverStateChangeTime > master.failoverTimeout) {
            s.instanceEvent(Level.WARNING, "-failover-abort-slave-timeout", master, "");
            abort(master, nowMs);
        }
    }

    /**
     * The promoted replica reports role:master: claim the configuration with the failover epoch (which makes the other
     * sentinels switch when they see it in our hello) and start reconfiguring the replicas.
     */
    void promotionConfirmed(final SentinelInstance master, final SentinelInstance promoted, final long nowMs) {
        master.configEpoch = master.failoverEpoch;
        state(master, FailoverState.RECONF_SLAVES, nowMs);
        s.flushConfig();
        s.instanceEvent(Level.WARNING, "+promoted-slave", promoted, "");
        demoteFencedMaster(master, promoted);
        if ((s.simFailureFlags & Sentinel.SIMFAILURE_CRASH_AFTER_PROMOTION) != 0) {
            s.simFailureCrash();
        }
        s.instanceEvent(Level.WARNING, "+failover-state-reconf-slaves", master, "");
        s.callClientReconfScript(master, true, "start", master.addr, promoted.addr);
        s.forceHelloUpdate(master);
    }

    /**
     * The fenced old master follows the new one at once (its paused writers are disconnected by the SLAVEOF
     * transaction and retry against the new master), then its pause is lifted: it is a replica now. With its link
     * down now, it is converted later like any old master, and unpaused then (InstanceMonitor.pausedByUs).
     */
    private void demoteFencedMaster(final SentinelInstance master, final SentinelInstance promoted) {
        if (!master.fenced) {
            return;
        }
        master.fenced = false;
        master.fenceOffset = -1;
        if (s.monitor.sendSlaveOf(master, promoted.addr)) {
            s.instanceEvent(Level.WARNING, "+fenced-master-demoted", master, "");
        }
    }

    /** sentinelFailoverReconfNextSlave: SLAVEOF new-master to the next replicas, parallel-syncs at a time. */
    private void reconfNextSlave(final SentinelInstance master, final long nowMs) {
        int inProgress = 0;
        for (final SentinelInstance slave : master.slaves.values()) {
            if (slave.has(InstanceFlag.RECONF_SENT) || slave.has(InstanceFlag.RECONF_INPROG)) {
                inProgress++;
            }
        }
        for (final SentinelInstance slave : master.slaves.values()) {
            if (inProgress >= master.parallelSyncs) {
                break;
            }
            if (slave.has(InstanceFlag.PROMOTED) || slave.has(InstanceFlag.RECONF_DONE)) {
                continue;
            }
            // a replica stuck after SLAVEOF counts as done; the config fixing will catch it later
            if (slave.has(InstanceFlag.RECONF_SENT)
                && nowMs - slave.slaveReconfSentTime > s.timings.slaveReconfTimeout) {
                s.instanceEvent(Level.NOTICE, "-slave-reconf-sent-timeout", slave, "");
                slave.flags.remove(InstanceFlag.RECONF_SENT);
                slave.flags.add(InstanceFlag.RECONF_DONE);
            }
            if (slave.has(InstanceFlag.RECONF_SENT) || slave.has(InstanceFlag.RECONF_INPROG)
                || slave.link.disconnected) {
                continue;
            }
            if (s.monitor.sendSlaveOf(slave, master.promotedSlave.addr)) {
                slave.flags.add(InstanceFlag.RECONF_SENT);
                slave.slaveReconfSentTime = nowMs;
                s.instanceEvent(Level.NOTICE, "+slave-reconf-sent", slave, "");
                inProgress++;
            }
        }
        detectEnd(master, nowMs);
    }

    /** sentinelFailoverDetectEnd: all reachable replicas reconfigured, or failover-timeout (best effort then). */
    private void detectEnd(final SentinelInstance master, final long nowMs) {
        final SentinelInstance promoted = master.promotedSlave;
        if (promoted == null || promoted.has(InstanceFlag.S_DOWN)) {
            return;
        }
        int notReconfigured = 0;
        for (final SentinelInstance slave : master.slaves.values()) {
            if (slave.has(InstanceFlag.PROMOTED) || slave.has(InstanceFlag.RECONF_DONE)
                || slave.has(InstanceFlag.S_DOWN)) {
                continue;
            }
            notReconfigured++;
        }
        boolean timeout = false;
        if (nowMs - master.failoverStateChangeTime > master.failoverTimeout) {
            notReconfigured = 0;
            timeout = true;
            s.instanceEvent(Level.WARNING, "+failover-end-for-timeout", master, "");
        }
        if (notReconfigured == 0) {
            s.instanceEvent(Level.WARNING, "+failover-end", master, "");
            state(master, FailoverState.UPDATE_CONFIG, nowMs);
        }
        if (timeout) {
            for (final SentinelInstance slave : master.slaves.values()) {
                if (slave.has(InstanceFlag.PROMOTED) || slave.has(InstanceFlag.RECONF_DONE)
                    || slave.has(InstanceFlag.RECONF_SENT) || slave.link.disconnected) {
                    continue;
                }
                if (s.monitor.sendSlaveOf(slave, promoted.addr)) {
                    s.instanceEvent(Level.NOTICE, "+slave-reconf-sent-be", slave, "");
                    slave.flags.add(InstanceFlag.RECONF_SENT);
                }
            }
        }
    }

    /** sentinelFailoverSwitchToPromotedSlave: the master record now describes the promoted replica. */
    void switchToPromotedSlave(final SentinelInstance master, final long nowMs) {
        final SentinelInstance ref = master.promotedSlave != null ? master.promotedSlave : master;
        s.event(Level.WARNING, "+switch-master", master, master.name + " "
            + master.addr.announce(s.announceHostnames) + " " + master.addr.port() + " "
            + ref.addr.announce(s.announceHostnames) + " " + ref.addr.port());
        s.resetMasterAndChangeAddress(master, ref.addr.hostname(), ref.addr.port(), nowMs);
    }

    /** sentinelAbortFailover: only before the promotion was acknowledged. */
    void abort(final SentinelInstance master, final long nowMs) {
        if (!master.has(InstanceFlag.FAILOVER_IN_PROGRESS)
            || master.failoverState.compareTo(FailoverState.WAIT_PROMOTION) > 0) {
            throw new IllegalStateException("cannot abort failover of " + master.name + " in "
                + master.failoverState);
        }
        unfence(master);
        master.flags.remove(InstanceFlag.FAILOVER_IN_PROGRESS);
        master.flags.remove(InstanceFlag.FORCE_FAILOVER);
        state(master, FailoverState.NONE, nowMs);
        if (master.promotedSlave != null) {
            master.promotedSlave.catchupOffset = -1;
            master.promotedSlave.catchupQueryPending = false;
            master.promotedSlave.flags.remove(InstanceFlag.PROMOTED);
            master.promotedSlave = null;
        }
    }

    /**
     * sentinelGetLeader: the sentinel with a majority (and at least quorum) of the votes cast in the current epoch,
     * counting our own vote, which goes to the most voted candidate or to ourselves; null when nobody has them.
     */
    String leader(final SentinelInstance master, final long epoch, final long nowMs) {
        final Map<String, Integer> counts = LeaderElection.count(master.sentinels.values(), s.currentEpoch);
        final int voters = master.sentinels.size() + 1;
        String winner = LeaderElection.mostVoted(counts);
        int maxVotes = winner == null ? 0 : counts.get(winner);
        final Sentinel.VoteReply mine = s.voteLeader(master, epoch, winner != null ? winner : s.myid, nowMs);
        if (mine.leader() != null && mine.leaderEpoch() == epoch) {
            final int votes = counts.merge(mine.leader(), 1, Integer::sum);
            if (votes > maxVotes) {
                maxVotes = votes;
                winner = mine.leader();
            }
        }
        return winner != null && LeaderElection.wins(maxVotes, voters, master.quorum) ? winner : null;
    }
}
