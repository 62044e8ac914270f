package dev.cinnabar.sentinel;

import dev.cinnabar.sentinel.SentinelEventSink.Level;
import dev.cinnabar.sentinel.SentinelInstance.Kind;

/**
 * Applies an instance's INFO reply. Redis: sentinel.c sentinelRefreshInstanceInfo().
 *
 * <p>Why here: INFO is how Sentinel sees the topology move. A master's reply discovers replicas; a replica's says
 * whom it follows and how far it got; a promoted replica reporting role:master is what advances a failover; and a
 * node following the wrong master is put right, but only after waiting long enough for a newer configuration to
 * arrive from the sentinel that may have caused it.
 *
 * <ol>
 * <li>Discovery and role bookkeeping happen even in TILT; corrective actions do not.</li>
 * <li>A replica that became a master without being our promoted replica is turned back into a replica of our master
 *     (+convert-to-slave) only when our master looks sane and nothing changed for 4 publish periods.</li>
 * <li>A replica following another address is pointed back at our master (+fix-slave-config) after
 *     failover-timeout without changes.</li>
 * </ol>
 */
final class InfoRefresher {
    private final Sentinel s;

    InfoRefresher(final Sentinel s) {
        this.s = s;
    }

    void refresh(final SentinelInstance ri, final String text, final long nowMs) {
        ri.info = text;
        final InfoReply info = InfoReply.parse(text);
        ri.masterLinkDownTime = info.masterLinkDownMs();
        ri.fence = info.fence();
        ri.fenceReplOffset = info.masterReplOffset();
        if (info.runId() != null) {
            if (ri.runid == null) {
                ri.runid = info.runId();
            } else if (!ri.runid.equals(info.runId())) {
                s.instanceEvent(Level.NOTICE, "+reboot", ri, "");
                if (ri.isMaster() && ri.masterRebootDownAfterPeriod != 0) {
                    ri.flags.add(InstanceFlag.MASTER_REBOOT);
                    ri.masterRebootSinceTime = nowMs;
                }
                ri.runid = info.runId();
            }
        }
        if (ri.isMaster()) {
            for (final InfoReply.HostPort hp : info.slaves()) {
                discoverReplica(ri, hp, nowMs);
            }
        }
        final Kind role = info.role();
        if (role == Kind.SLAVE) {
            applyReplicaFields(ri, info, nowMs);
        }
        ri.infoRefresh = nowMs;

        if (role != ri.roleReported) {
            ri.roleReportedTime = nowMs;
            ri.roleReported = role;
            if (role == Kind.SLAVE) {
                ri.slaveConfChangeTime = nowMs;
            }
            s.instanceEvent(Level.VERBOSE, ri.kind == role ? "+role-change" : "-role-change", ri,
                " new reported role is " + (role == Kind.MASTER ? "master" : "slave"));
        }
        if (s.tilt) {
            return;
        }
        if (ri.isMaster() && role == Kind.MASTER) {
            startFence(ri);
        }
        setStartFence(ri, info.startFencedMs());
        // a master claiming to be a replica is left alone: it will be seen as down and failed over
        if (ri.isSlave() && role == Kind.MASTER) {
            replicaReportsMaster(ri, nowMs);
        }
        if (role == Kind.SLAVE) {
            s.monitor.unpauseDemoted(ri);
        }
        if (ri.isSlave() && role == Kind.SLAVE && (ri.slaveMasterPort != ri.master.addr.port()
            || !s.addrEqualsHostname(ri.master.addr, ri.slaveMasterHost))) {
            final long wait = ri.master.failoverTimeout;
            if (looksSane(ri.master, nowMs) && ri.noDownFor(wait, nowMs) && nowMs - ri.slaveConfChangeTime > wait) {
                if (s.monitor.sendSlaveOf(ri, ri.master.addr)) {
                    s.instanceEvent(Level.NOTICE, "+fix-slave-config", ri, "");
                }
            }
        }
        if (ri.isSlave() && role == Kind.SLAVE
            && (ri.has(InstanceFlag.RECONF_SENT) || ri.has(InstanceFlag.RECONF_INPROG))) {
            trackReconfiguration(ri);
        }
    }

    /**
     * A Cinnabar master fenced at start-up (cinnabar-start-fenced-ms) waits for us: if no replica we
     * know reports more stream than it has, confirm it with REPLICAOF NO ONE (no CLIENT KILL: nothing
     * changes for its clients); otherwise it restarted with less than its replicas and is marked behind,
     * which FailureDetector turns into SDOWN, so the usual failover promotes the best replica.
     */
    private void startFence(final SentinelInstance master) {
        final boolean starting = "starting".equals(master.fence);
        boolean behind = "diverged".equals(master.fence);
        boolean replicasSeen = true;
        if (starting && !master.fenceStartingSeen) {
            // the replicas' offsets we hold may predate the restart by up to an INFO period (a fresh
            // fleet's replicas at offset 1, say): ask each again before deciding (InstanceMonitor)
            master.fenceStartingSeen = true;
            for (final SentinelInstance r : master.slaves.values()) {
                r.infoRefresh = 0;
            }
        }
        master.fenceStartingSeen = starting;
        if (starting) {
            for (final SentinelInstance r : master.slaves.values()) {
                replicasSeen &= r.infoRefresh != 0;
                behind |= r.slaveReplOffset > Math.max(1, master.fenceReplOffset);
            }
        }
        master.fenceBehind = behind;
        if (starting && !behind && replicasSeen && !master.has(InstanceFlag.S_DOWN)
            && !master.has(InstanceFlag.FAILOVER_IN_PROGRESS) && s.monitor.sendReplicaOfNoOne(master)) {
            s.instanceEvent(Level.NOTICE, "+fence-lift", master, "");
        }
    }

    /**
     * (Cinnabar) How long a Cinnabar data node we manage stays fenced at start-up when no sentinel speaks to it
     * (cinnabar-start-fenced-ms). The first hello from any sentinel ends that bound (the node then waits for our
     * REPLICAOF: {@link #startFence}), so it only has to outlast the slowest way back to a restarted node: our old
     * command link may be half-open (the node's host or address is gone, nothing reset the connection), and it is
     * closed only once a PING has waited half of down-after, on a link at least min-link-reconnect-period old
     * (FailureDetector); then one reconnection (one per ping period at most), and the first hello within a publish
     * period; plus one more publish period for a busy sentinel. Defaults: 15 + 1 + 4 = 20 s; with down-after 60 s,
     * 31 + 1 + 4 = 36 s. Only a node nobody watches any more waits that long.
     */
    long startFenceBound(final SentinelInstance ri) {
        final SentinelTimings t = s.timings;
        return Math.max(t.minLinkReconnectPeriod, ri.downAfterPeriod / 2 + t.pingPeriod) + t.pingPeriod
            + 2 * t.publishPeriod;
    }

    /**
     * (Cinnabar) A Cinnabar data node (its INFO has cinnabar_start_fenced_ms; Redis's has not) whose start fence is
     * off or shorter than {@link #startFenceBound}: CONFIG SET it, then CONFIG REWRITE so that a restart on the old
     * config file starts fenced, as Redis's sentinels rewrite a node's config after reconfiguring it. Masters and
     * replicas alike (a replica may be promoted, then restart). Once per run of the node (its run id), whatever it
     * answers: a node that refuses, or has no config file to rewrite, is told once, not in a loop.
     */
    private void setStartFence(final SentinelInstance ri, final long startFencedMs) {
        if (startFencedMs < 0 || ri.runid == null || ri.runid.equals(ri.startFenceSetFor)) {
            return;
        }
        final long bound = startFenceBound(ri);
        if (startFencedMs >= bound) {
            return;
        }
        if (s.monitor.sendStartFence(ri, bound)) {
            ri.startFenceSetFor = ri.runid;
            s.instanceEvent(Level.NOTICE, "+start-fence-set", ri, " " + bound + " ms");
        }
    }

    private void discoverReplica(final SentinelInstance master, final InfoReply.HostPort hp, final long nowMs) {
        if (s.lookupSlave(master, hp.host(), hp.port()) != null) {
            return;
        }
        try {
            final SentinelInstance slave = s.createInstance(null, Kind.SLAVE, hp.host(), hp.port(), master.quorum,
                master, nowMs);
            s.instanceEvent(Level.NOTICE, "+slave", slave, "");
            s.flushConfig();
        } catch (Sentinel.CreateException e) {
            s.log(Level.DEBUG, "replica " + hp.host() + ":" + hp.port() + " ignored: " + e.error);
        }
    }

    private static void applyReplicaFields(final SentinelInstance ri, final InfoReply info, final long nowMs) {
        if (info.masterHost() != null
            && (ri.slaveMasterHost == null || !info.masterHost().equalsIgnoreCase(ri.slaveMasterHost))) {
            ri.slaveMasterHost = info.masterHost();
            ri.slaveConfChangeTime = nowMs;
        }
        if (info.masterPort() != null && ri.slaveMasterPort != info.masterPort()) {
            ri.slaveMasterPort = info.masterPort();
            ri.slaveConfChangeTime = nowMs;
        }
        if (info.linkUp() != null) {
            ri.slaveMasterLinkUp = info.linkUp();
        }
        if (info.slavePriority() != null) {
            ri.slavePriority = info.slavePriority();
        }
        if (info.replOffset() != null) {
            ri.slaveReplOffset = info.replOffset();
        }
        if (info.replicaAnnounced() != null) {
            ri.replicaAnnounced = info.replicaAnnounced();
        }
    }

    /** A replica of ours says role:master: our promotion completing, or something to undo. */
    private void replicaReportsMaster(final SentinelInstance ri, final long nowMs) {
        final SentinelInstance master = ri.master;
        if (ri.has(InstanceFlag.PROMOTED) && master.has(InstanceFlag.FAILOVER_IN_PROGRESS)
            && master.failoverState == FailoverState.WAIT_PROMOTION) {
            s.failover.promotionConfirmed(master, ri, nowMs);
            return;
        }
        final long wait = s.timings.publishPeriod * 4;
        if (!ri.has(InstanceFlag.PROMOTED) && looksSane(master, nowMs) && ri.noDownFor(wait, nowMs)
            && nowMs - ri.roleReportedTime > wait) {
            if (s.monitor.sendSlaveOf(ri, master.addr)) {
                s.instanceEvent(Level.NOTICE, "+convert-to-slave", ri, "");
            }
        }
    }

    /** RECONF_SENT -> RECONF_INPROG when it follows the promoted replica, -> RECONF_DONE once its link is up. */
    private void trackReconfiguration(final SentinelInstance ri) {
        final SentinelInstance promoted = ri.master.promotedSlave;
        if (ri.has(InstanceFlag.RECONF_SENT) && promoted != null && ri.slaveMasterHost != null
            && s.addrEqualsHostname(promoted.addr, ri.slaveMasterHost)
            && ri.slaveMasterPort == promoted.addr.port()) {
            ri.flags.remove(InstanceFlag.RECONF_SENT);
            ri.flags.add(InstanceFlag.RECONF_INPROG);
            s.instanceEvent(Level.NOTICE, "+slave-reconf-inprog", ri, "");
        }
        if (ri.has(InstanceFlag.RECONF_INPROG) && ri.slaveMasterLinkUp) {
            ri.flags.remove(InstanceFlag.RECONF_INPROG);
            ri.flags.add(InstanceFlag.RECONF_DONE);
            s.instanceEvent(Level.NOTICE, "+slave-reconf-done", ri, "");
        }
    }

    /** sentinelMasterLooksSane: a master by config and by report, not down, with INFO fresher than 2 periods. */
    boolean looksSane(final SentinelInstance master, final long nowMs) {
        return master.isMaster() && master.roleReported == Kind.MASTER && !master.isDown()
            && nowMs - master.infoRefresh < s.timings.infoPeriod * 2;
    }
}
