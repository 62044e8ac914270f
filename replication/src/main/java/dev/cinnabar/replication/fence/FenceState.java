package dev.cinnabar.replication.fence;

/**
 * Whether a master may acknowledge writes, as its sentinels' traffic tells it ({@link MasterFence}).
 * INFO replication shows {@link #infoName()} as cinnabar_fence. Only {@code MasterFence.to} assigns.
 */
public enum FenceState {
    /** cinnabar-master-lease-ms 0 and no start fence: writes as Redis takes them. */
    OFF("off", true),
    /** No sentinel has named this master yet (standalone, just promoted, or fence re-armed): writes taken. */
    OPEN("open", true),
    /** A majority of the sentinels heard from name this master, each within the lease: writes taken. */
    HELD("held", true),
    /**
     * The lease ran out, the loop stalled, or a sentinel named another master with a newer epoch:
     * writes refused until a majority confirm this master again with hellos received after the lapse.
     */
    LAPSED("lapsed", false),
    /**
     * cinnabar-start-fenced-ms: started as a master, writes and replica syncs refused until REPLICAOF
     * arrives (a Cinnabar sentinel's NO ONE confirms it), or the bound passes with no sentinel hello.
     */
    STARTING("starting", false),
    /**
     * Fenced at start-up, and a replica asked to continue a history this node does not have (it
     * restarted with less than its replicas): writes and syncs refused, hellos ignored, until
     * REPLICAOF. Cinnabar sentinels see it in INFO and fail it over; Redis sentinels do not.
     */
    DIVERGED("diverged", false);

    private final String infoName;
    private final boolean writable;

    FenceState(final String infoName, final boolean writable) {
        this.infoName = infoName;
        this.writable = writable;
    }

    public String infoName() {
        return infoName;
    }

    public boolean writable() {
        return writable;
    }

    /** Sentinels manage this master (they named it, or it waits for them): OFF and OPEN are the others. */
    public boolean sentinelManaged() {
        return this != OFF && this != OPEN;
    }
}
