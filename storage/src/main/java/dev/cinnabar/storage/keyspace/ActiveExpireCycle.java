package dev.cinnabar.storage.keyspace;

/**
 * Redis's activeExpireCycle (expire.c), the slow cycle run from the cron at {@code hz}: per
 * database, sample up to 20 keys with a TTL, delete the expired ones, and repeat while more than
 * 10% of a sample was expired, within a time budget of 25% of a cron period.
 *
 * <p>Why sampling and not a sorted index: it costs nothing per write, and the repeat-while-stale
 * rule bounds the memory held by expired keys to about 10% of the volatile ones.
 */
public final class ActiveExpireCycle {
    private static final int KEYS_PER_LOOP = 20;
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    private static final int SLOW_TIME_PERC = 25;

    private final Keyspace keyspace;
    private int currentDb;
    private final long[] cursors;

    public ActiveExpireCycle(final Keyspace keyspace) {
        this.keyspace = keyspace;
        this.cursors = new long[keyspace.databases()];
    }

    /**
     * Runs one slow cycle.
     *
     * @param hz the cron frequency, which sets the time budget
     * @return the number of keys expired
     */
    public int doWork(final int hz) {
        if (keyspace.replicaMode()) {
            return 0;
        }
        final long budgetNs = 1_000_000_000L * SLOW_TIME_PERC / 100 / Math.max(hz, 1);
        final long start = System.nanoTime();
        int expired = 0;
        final int dbs = keyspace.databases();
        for (int n = 0; n < dbs; n++) {
            final Database db = keyspace.db(currentDb);
            final int dbIndex = currentDb;
            currentDb = (currentDb + 1) % dbs;
            final Dict<ExpireEntry> expires = db.expires();
            int round;
            do {
                if (expires.size() == 0) {
                    break;
                }
                final int[] sampled = {0};
                final int[] dead = {0};
                final long now = keyspace.nowMs();
                final long[] ttlSum = {0};
                final java.util.List<byte[]> toDelete = new java.util.ArrayList<>();
                long cursor = cursors[dbIndex];
                int buckets = 0;
                do {
                    cursor = expires.scan(cursor, x -> {
                        sampled[0]++;
                        if (x.whenMs <= now) {
                            toDelete.add(x.key);
                        } else {
                            ttlSum[0] += x.whenMs - now;
                        }
                    });
                    buckets++;
                } while (cursor != 0 && sampled[0] < KEYS_PER_LOOP && buckets < KEYS_PER_LOOP * 2);
                cursors[dbIndex] = cursor;
                for (final byte[] k : toDelete) {
                    if (db.expires().find(k) != null) {
                        db.deleteExpired(k);
                        dead[0]++;
                    }
                }
                expired += dead[0];
                final int live = sampled[0] - dead[0];
                if (live > 0) {
                    final long avg = ttlSum[0] / live;
                    db.avgTtl = db.avgTtl == 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
                }
                round = sampled[0] == 0 ? 0 : dead[0] * 100 / sampled[0];
                if (System.nanoTime() - start > budgetNs) {
                    keyspace.stats.expiredTimeCapReached++;
                    return expired;
                }
            } while (round > ACCEPTABLE_STALE_PERCENT);
        }
        return expired;
    }
}
