package dev.cinnabar.replication.replica;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a replica's link to its master, Redis's REPL_STATE_* with the same names and
 * order (the handshake states must stay contiguous: {@link #isHandshake()} is a range).
 */
public enum ReplicaLinkState {
    /** Not a replica. */
    NONE,
    /** Must connect (at once, or at the next tick after a failure). */
    CONNECT,
    /** The TCP connection is being established. */
    CONNECTING,
    RECEIVE_PING_REPLY,
    SEND_HANDSHAKE,
    RECEIVE_AUTH_REPLY,
    RECEIVE_PORT_REPLY,
    RECEIVE_IP_REPLY,
    RECEIVE_CAPA_REPLY,
    SEND_PSYNC,
    RECEIVE_PSYNC_REPLY,
    /** Receiving the RDB of a full sync. */
    TRANSFER,
    /** In sync: applying the master's command stream. */
    CONNECTED;

    private static final Set<ReplicaLinkState> HANDSHAKE = EnumSet.range(RECEIVE_PING_REPLY, RECEIVE_PSYNC_REPLY);

    /** Redis's slaveIsInHandshakeState(). */
    public boolean isHandshake() {
        return HANDSHAKE.contains(this);
    }

    /** What ROLE reports for this state. */
    public String roleName() {
        if (isHandshake()) {
            return "handshake";
        }
        return switch (this) {
            case NONE -> "none";
            case CONNECT -> "connect";
            case CONNECTING -> "connecting";
            case TRANSFER -> "sync";
            case CONNECTED -> "connected";
            default -> "unknown";
        };
    }
}
