package dev.cinnabar.storage.rdb;

/**
 * The aux fields at the head of a file, in the order Redis 7.0's rdbSaveInfoAuxFields writes
 * them: redis-ver, redis-bits, ctime, used-mem, then repl-stream-db, repl-id and repl-offset
 * only when the save carries replication info (replicaId non-null), then aof-base.
 */
public record RdbAux(String redisVer, int redisBits, long ctimeSec, long usedMem, int replStreamDb, String replId,
                     long replOffset, boolean aofBase) {
    public static final String REDIS_VERSION = "7.0.15";

    /** A plain save (SAVE, BGSAVE without replicas). */
    public static RdbAux of(final long nowMs, final long usedMem) {
        return new RdbAux(REDIS_VERSION, 64, nowMs / 1000, usedMem, -1, null, 0, false);
    }

    /** The same fields plus the replication id and offset the snapshot was taken at. */
    public RdbAux withReplication(final int streamDb, final String id, final long offset) {
        return new RdbAux(redisVer, redisBits, ctimeSec, usedMem, streamDb, id, offset, aofBase);
    }
}
