package dev.cinnabar.sentinel;

/**
 * The failover state machine's states, Redis's SENTINEL_FAILOVER_STATE_*. The order is meaningful: a failover can be
 * aborted only up to {@link #WAIT_PROMOTION}, and from {@link #RECONF_SLAVES} on the promoted replica is the
 * advertised master. {@link FailoverStateMachine#state} is the only place that assigns one.
 */
public enum FailoverState {
    NONE("none"),
    /** Wait to win the election (or the start delay). */
    WAIT_START("wait_start"),
    SELECT_SLAVE("select_slave"),
    /**
     * Cinnabar's addition (sentinel coordinated-failover yes): writes paused on a reachable old master, wait until the
     * chosen replica has every byte the master acknowledged. Skipped when the master is down, as Redis would.
     */
    WAIT_CATCHUP("wait_catchup"),
    /** Send MULTI / SLAVEOF NO ONE / CONFIG REWRITE / CLIENT KILL / EXEC to the chosen replica. */
    SEND_SLAVEOF_NOONE("send_slaveof_noone"),
    /** Wait until the chosen replica's INFO says role:master. */
    WAIT_PROMOTION("wait_promotion"),
    /** Point the other replicas at the new master, parallel-syncs at a time. */
    RECONF_SLAVES("reconf_slaves"),
    /** Done: the master record switches to the promoted replica's address. */
    UPDATE_CONFIG("update_config");

    private final String text;

    FailoverState(final String text) {
        this.text = text;
    }

    /** The name SENTINEL MASTER shows as failover-state. */
    public String text() {
        return text;
    }

    /** Whether {@code next} may follow this state (NONE is always reachable: abort or reset). */
    boolean canMoveTo(final FailoverState next) {
        if (next == NONE) {
            return true;
        }
        if (this == NONE) {
            return next == WAIT_START;
        }
        return next.ordinal() == ordinal() + 1;
    }
}
