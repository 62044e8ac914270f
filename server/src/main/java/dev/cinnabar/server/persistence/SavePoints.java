package dev.cinnabar.server.persistence;

import java.util.List;

/**
 * The automatic-save rule of Redis's serverCron: a BGSAVE starts when some {@code save <seconds>
 * <changes>} point has at least that many changes and more than that many seconds since the last
 * successful save; after a failed BGSAVE, not before {@link #RETRY_DELAY_SEC} since the last try.
 */
final class SavePoints {
    /** CONFIG_BGSAVE_RETRY_DELAY. */
    static final long RETRY_DELAY_SEC = 5;

    private SavePoints() {
    }

    /**
     * The first point that is due, as {seconds, changes}, or null.
     *
     * @param points      the save config, as (seconds, changes) pairs
     * @param dirty       changes since the last save
     * @param lastSaveSec when the last successful save ended
     * @param lastTrySec  when the last BGSAVE started
     * @param lastOk      whether the last BGSAVE succeeded
     */
    static long[] due(final List<long[]> points, final long dirty, final long nowSec, final long lastSaveSec,
                      final long lastTrySec, final boolean lastOk) {
        for (final long[] p : points) {
            if (dirty >= p[1] && nowSec - lastSaveSec > p[0] && (lastOk || nowSec - lastTrySec > RETRY_DELAY_SEC)) {
                return p;
            }
        }
        return null;
    }

    /** A scheduled BGSAVE (BGSAVE SCHEDULE, BGSAVE in MULTI) may start now. */
    static boolean scheduledMayStart(final long nowSec, final long lastTrySec, final boolean lastOk) {
        return lastOk || nowSec - lastTrySec > RETRY_DELAY_SEC;
    }
}
