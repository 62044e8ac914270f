package dev.cinnabar.sentinel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which replica to promote. Redis: sentinel.c sentinelSelectSlave(), compareSlavesForPromotion().
 *
 * <p>A replica qualifies when it is not SDOWN/ODOWN, its link is up, it answered a PING in the last 5 ping periods,
 * its INFO is fresh (5 ping periods while the master is SDOWN, when INFO comes every second; else 3 INFO periods),
 * its replication link has not been down much longer than the master (10 down-after periods plus the master's SDOWN
 * time) and its priority is not 0. The best one has the lowest priority, then the highest replication offset, then
 * the smallest run id (case-insensitive; a missing run id sorts last).
 */
final class ReplicaSelector {
    static final Comparator<SentinelInstance> PROMOTION_ORDER = (a, b) -> {
        if (a.slavePriority != b.slavePriority) {
            return Integer.compare(a.slavePriority, b.slavePriority);
        }
        if (a.slaveReplOffset != b.slaveReplOffset) {
            return Long.compareUnsigned(b.slaveReplOffset, a.slaveReplOffset);
        }
        if (a.runid == null || b.runid == null) {
            return a.runid == null ? (b.runid == null ? 0 : 1) : -1;
        }
        return a.runid.toLowerCase(Locale.ROOT).compareTo(b.runid.toLowerCase(Locale.ROOT));
    };

    private ReplicaSelector() {
    }

    static List<SentinelInstance> candidates(final SentinelInstance master, final long nowMs,
                                             final SentinelTimings t) {
        return candidates(master, nowMs, t, true);
    }

    /**
     * (Cinnabar) Whether some replica would be a candidate but for an INFO reply older than the
     * validity window: the sentinel asks replicas for INFO every second once the master is ODOWN,
     * and on a starved machine the election can end before those replies come back.
     */
    static boolean awaitingFreshInfo(final SentinelInstance master, final long nowMs, final SentinelTimings t) {
        return !candidates(master, nowMs, t, false).isEmpty();
    }

    /** How long an INFO reply counts as current: 5 ping periods while the master is SDOWN, else 3 INFO periods. */
    static long infoValidity(final SentinelInstance master, final SentinelTimings t) {
        return master.has(InstanceFlag.S_DOWN) ? t.pingPeriod * 5 : t.infoPeriod * 3;
    }

    private static List<SentinelInstance> candidates(final SentinelInstance master, final long nowMs,
                                                     final SentinelTimings t, final boolean freshInfo) {
        long maxMasterDownTime = 0;
        final boolean masterSdown = master.has(InstanceFlag.S_DOWN);
        if (masterSdown) {
            maxMasterDownTime += nowMs - master.sDownSinceTime;
        }
        maxMasterDownTime += master.downAfterPeriod * 10;
        final long infoValidity = infoValidity(master, t);
        final List<SentinelInstance> out = new ArrayList<>();
        for (final SentinelInstance slave : master.slaves.values()) {
            if (slave.isDown() || slave.link.disconnected) {
                continue;
            }
            if (nowMs - slave.link.lastAvailTime > t.pingPeriod * 5) {
                continue;
            }
            if (slave.slavePriority == 0) {
                continue;
            }
            if (freshInfo && nowMs - slave.infoRefresh > infoValidity) {
                continue;
            }
            if (slave.masterLinkDownTime > maxMasterDownTime) {
                continue;
            }
            out.add(slave);
        }
        return out;
    }

    /** The replica to promote, or null when none qualifies. */
    static SentinelInstance select(final SentinelInstance master, final long nowMs, final SentinelTimings t) {
        final List<SentinelInstance> c = candidates(master, nowMs, t);
        c.sort(PROMOTION_ORDER);
        return c.isEmpty() ? null : c.get(0);
    }
}
