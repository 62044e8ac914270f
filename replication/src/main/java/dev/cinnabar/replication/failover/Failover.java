package dev.cinnabar.replication.failover;

import dev.cinnabar.replication.ReplicationLog;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.replication.master.ReplicaSessionState;
import dev.cinnabar.replication.master.Replicas;

/**
 * The coordinated failover of a master to one of its replicas (FAILOVER [TO host port [FORCE]]
 * [TIMEOUT ms]): pause writes, wait until a replica has acknowledged the whole stream, become its
 * replica, and ask it with PSYNC ... FAILOVER to take over.
 *
 * <p>Why the master demotes itself before the target is promoted: at no moment may two masters
 * accept writes. The demoted master keeps its data and its history (it caches itself as its
 * master), so when the target refuses, undoing the demotion loses nothing; when the target
 * accepts, the PSYNC continues partially because the target kept our id as its replid2.
 *
 * <ol>
 *   <li>Only {@link #state(FailoverState)} assigns the state; leaving WAIT_FOR_SYNC or
 *       FAILOVER_IN_PROGRESS for NO_FAILOVER always lifts the write pause.</li>
 *   <li>A target is "synced" when its acknowledged offset equals our master_repl_offset exactly.
 *       Nothing else moves the offset meanwhile: writes are paused, and the replication cron sends
 *       no PING while waiting (Redis skips it only when a TIMEOUT was given; skipping it always
 *       keeps an untimed failover from chasing a moving offset).</li>
 *   <li>Once demoted, only the answer to our PSYNC ends the failover: accepted (+CONTINUE or
 *       +FULLRESYNC) clears it, anything else undoes the demotion. A target that never answers
 *       leaves the failover in progress until FAILOVER ABORT, as in Redis.</li>
 * </ol>
 *
 * <p>Redis: replication.c failoverCommand(), updateFailoverStatus(), abortFailover(),
 * clearFailoverState(), and the FAILOVER_IN_PROGRESS branches of syncWithMaster().
 */
public final class Failover {
    /** What the failover does to the server around it. */
    public interface Actions {
        /** FAILOVER's write pause (Redis's PAUSE_DURING_FAILOVER) on or off. */
        void pauseWrites(boolean paused);

        /** Become a replica of the target (Redis's replicationSetMaster). */
        void demoteTo(String host, int port);

        /** Be a master again after a refused or aborted hand-off (Redis's replicationUnsetMaster). */
        void undoDemotion();
    }

    private final ReplicationLog log;
    private final Replicas replicas;
    private final Actions actions;
    private FailoverState state = FailoverState.NO_FAILOVER;
    /** The target, or null until one is chosen ("any replica"). */
    private String targetHost;
    private int targetPort;
    /** When WAIT_FOR_SYNC gives up (or forces), 0 for never. */
    private long endMs;
    private boolean force;

    public Failover(final ReplicationLog log, final Replicas replicas, final Actions actions) {
        this.log = log;
        this.replicas = replicas;
        this.actions = actions;
    }

    public FailoverState state() {
        return state;
    }

    public boolean inProgress() {
        return state == FailoverState.FAILOVER_IN_PROGRESS;
    }

    /** Only this method assigns the state. */
    private void state(final FailoverState next) {
        final FailoverState previous = state;
        state = next;
        if (next == FailoverState.WAIT_FOR_SYNC) {
            actions.pauseWrites(true);
        } else if (next == FailoverState.NO_FAILOVER) {
            targetHost = null;
            targetPort = 0;
            endMs = 0;
            force = false;
            if (previous != FailoverState.NO_FAILOVER) {
                actions.pauseWrites(false);
            }
        }
    }

    /**
     * FAILOVER with its arguments already parsed; {@code host} null when no TO was given,
     * {@code timeoutMs} 0 when no TIMEOUT was. Checks what Redis checks, in its order.
     *
     * @param isReplica whether this server is a replica now
     * @return null when the failover started (writes are paused), else the error to reply
     */
    public String start(final String host, final long port, final long timeoutMs, final boolean force,
                        final boolean isReplica, final long nowMs) {
        if (state != FailoverState.NO_FAILOVER) {
            return "ERR FAILOVER already in progress.";
        }
        if (isReplica) {
            return "ERR FAILOVER is not valid when server is a replica.";
        }
        if (replicas.isEmpty()) {
            return "ERR FAILOVER requires connected replicas.";
        }
        if (force && (timeoutMs == 0 || host == null)) {
            return "ERR FAILOVER with force option requires both a timeout and target HOST and IP.";
        }
        if (host != null) {
            final ReplicaSession target = find(host, port);
            if (target == null) {
                return "ERR FAILOVER target HOST and PORT is not a replica.";
            }
            if (target.state() != ReplicaSessionState.ONLINE) {
                return "ERR FAILOVER target replica is not online.";
            }
            targetHost = host;
            targetPort = (int) port;
            log.notice("FAILOVER requested to " + host + ":" + port + ".");
        } else {
            log.notice("FAILOVER requested to any replica.");
        }
        endMs = timeoutMs > 0 ? nowMs + timeoutMs : 0;
        this.force = force;
        state(FailoverState.WAIT_FOR_SYNC);
        return null;
    }

    /**
     * Redis's updateFailoverStatus: while waiting, gives up (or forces) at the deadline, else hands
     * over to the target as soon as it acknowledged {@code masterReplOffset}.
     */
    public void doWork(final long masterReplOffset, final long nowMs) {
        if (state != FailoverState.WAIT_FOR_SYNC) {
            return;
        }
        if (endMs != 0 && endMs <= nowMs) {
            if (force) {
                log.notice("FAILOVER to " + targetHost + ":" + targetPort + " time out exceeded, failing over.");
                demote();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        ReplicaSession target = null;
        if (targetHost != null) {
            target = find(targetHost, targetPort);
        } else {
            for (final ReplicaSession s : replicas.all()) {
                if (s.ackOffset() == masterReplOffset) {
                    target = s;
                    targetHost = s.ip();
                    targetPort = s.listeningPort();
                    break;
                }
            }
        }
        if (target != null && target.ackOffset() == masterReplOffset) {
            log.notice("Failover target " + targetHost + ":" + targetPort + " is synced, failing over.");
            demote();
        }
    }

    private void demote() {
        state(FailoverState.FAILOVER_IN_PROGRESS);
        actions.demoteTo(targetHost, targetPort);
    }

    /**
     * The target answered our PSYNC ... FAILOVER.
     *
     * @param accepted +CONTINUE or +FULLRESYNC
     * @return false when the failover was undone (the link that asked is no longer ours)
     */
    public boolean onPsyncReply(final boolean accepted) {
        if (state != FailoverState.FAILOVER_IN_PROGRESS) {
            return true;
        }
        if (accepted) {
            state(FailoverState.NO_FAILOVER);
            return true;
        }
        abort("Failover target rejected psync request");
        return false;
    }

    /** FAILOVER ABORT: null when a failover was aborted, else the error to reply. */
    public String abortByUser() {
        if (state == FailoverState.NO_FAILOVER) {
            return "ERR No failover in progress.";
        }
        abort("Failover manually aborted");
        return null;
    }

    /** Redis's abortFailover: a demoted master becomes a master again, and writes resume. */
    private void abort(final String why) {
        if (targetHost != null) {
            log.notice("FAILOVER to " + targetHost + ":" + targetPort + " aborted: " + why);
        } else {
            log.notice("FAILOVER to any replica aborted: " + why);
        }
        if (state == FailoverState.FAILOVER_IN_PROGRESS) {
            actions.undoDemotion();
        }
        state(FailoverState.NO_FAILOVER);
    }

    /** Redis's findReplica: the announced (or peer) address and the listening port. */
    private ReplicaSession find(final String host, final long port) {
        for (final ReplicaSession s : replicas.all()) {
            if (s.ip().equalsIgnoreCase(host) && s.listeningPort() == port) {
                return s;
            }
        }
        return null;
    }
}
