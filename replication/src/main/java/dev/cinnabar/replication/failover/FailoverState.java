package dev.cinnabar.replication.failover;

/**
 * Where a coordinated failover (the FAILOVER command) stands on the master that was asked for it,
 * Redis's failover_state. INFO replication shows {@link #infoName()} as master_failover_state.
 */
public enum FailoverState {
    /** No FAILOVER running. */
    NO_FAILOVER("no-failover"),
    /** Writes are paused; waiting for the target (or any replica) to acknowledge the whole stream. */
    WAIT_FOR_SYNC("waiting-for-sync"),
    /** Demoted to a replica of the target; waiting for it to answer our PSYNC ... FAILOVER. */
    FAILOVER_IN_PROGRESS("failover-in-progress");

    private final String infoName;

    FailoverState(final String infoName) {
        this.infoName = infoName;
    }

    public String infoName() {
        return infoName;
    }
}
