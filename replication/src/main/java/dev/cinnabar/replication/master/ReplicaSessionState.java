package dev.cinnabar.replication.master;

/**
 * Where a replica attached to this master stands, Redis's SLAVE_STATE_*. INFO shows
 * {@link #infoName()} in its slaveN lines.
 */
public enum ReplicaSessionState {
    /** Asked for a full sync; waiting for a snapshot to start (the diskless delay, or another sync). */
    WAIT_BGSAVE_START("wait_bgsave"),
    /** Got +FULLRESYNC; the snapshot is being produced (and, diskless, streamed to it). */
    WAIT_BGSAVE_END("wait_bgsave"),
    /** A disk-based snapshot is being sent as a $len bulk. */
    SEND_BULK("send_bulk"),
    /** Has the data: receives the command stream (after its first ACK when the RDB was streamed). */
    ONLINE("online");

    private final String infoName;

    ReplicaSessionState(final String infoName) {
        this.infoName = infoName;
    }

    public String infoName() {
        return infoName;
    }
}
