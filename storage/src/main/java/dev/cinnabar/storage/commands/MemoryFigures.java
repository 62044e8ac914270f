package dev.cinnabar.storage.commands;

import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.MemoryAccounting;

/**
 * The process-level memory figures that INFO memory and MEMORY STATS report beside the keyspace's
 * own: the server measures them (the JVM heap stands for Redis's allocator), the keyspace adds its
 * per-database overheads. Bytes throughout.
 *
 * @param used      used_memory: the keyspace estimate plus the replication backlog
 * @param peak      the highest {@code used} seen
 * @param startup   {@code used} right after start-up
 * @param backlog   the replication backlog
 * @param clientsNormal the buffers of normal clients
 * @param heapUsed  the JVM heap in use (allocator.allocated)
 * @param heapCommitted the committed heap (allocator.active)
 * @param rss       the process's resident set
 */
public record MemoryFigures(long used, long peak, long startup, long backlog, long clientsNormal, long heapUsed,
                            long heapCommitted, long rss) {
    /**
     * Redis's overhead.total (INFO's used_memory_overhead): start-up memory, backlog, client buffers
     * and every database's hash tables, never more than {@code used}.
     */
    public long overhead(final Keyspace ks) {
        long tables = 0;
        for (int i = 0; i < ks.databases(); i++) {
            tables += MemoryAccounting.mainTableOverhead(ks.db(i)) + MemoryAccounting.expiresTableOverhead(ks.db(i));
        }
        return Math.min(used, startup + backlog + clientsNormal + tables);
    }

    /** used_memory_dataset: what is not overhead. */
    public long dataset(final Keyspace ks) {
        return used - overhead(ks);
    }

    /** used_memory_dataset_perc / dataset.percentage: the dataset's share of what was used since start-up. */
    public double datasetPercentage(final Keyspace ks) {
        return used <= startup ? 0 : dataset(ks) * 100.0 / (used - startup);
    }
}
