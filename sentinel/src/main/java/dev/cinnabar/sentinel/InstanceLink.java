package dev.cinnabar.sentinel;

/**
 * The connections to one instance and the times failure detection reads. Redis: sentinel.c instanceLink.
 *
 * <p>Why shared: when the same sentinels watch many masters, one record per (master, sentinel) pair would mean one
 * connection and one PING per pair; a sentinel's records in different masters share one link instead (refcount).
 * Masters and replicas always have their own link.
 *
 * <ol>
 * <li>{@code disconnected} is true while the command connection (or, for data nodes, the pub/sub one) is missing.</li>
 * <li>{@code actPingTime} is the send time of the oldest unanswered PING, 0 when none is pending; it starts at the
 *     creation time so an instance that never answers is detected too.</li>
 * </ol>
 */
final class InstanceLink {
    int refcount = 1;
    boolean disconnected = true;
    int pendingCommands;
    LinkConnection cc;
    LinkConnection pc;
    long ccConnTime;
    long pcConnTime;
    long pcLastActivity;
    long lastAvailTime;
    long actPingTime;
    long lastPingTime;
    long lastPongTime;
    long lastReconnTime;

    InstanceLink(final long nowMs) {
        actPingTime = nowMs;
        lastAvailTime = nowMs;
        lastPongTime = nowMs;
    }

    /** instanceLinkCloseConnection: drops {@code c} (no callback of it runs afterwards) and marks the link down. */
    void closeConnection(final LinkConnection c) {
        if (c == null) {
            return;
        }
        if (cc == c) {
            cc = null;
            pendingCommands = 0;
        }
        if (pc == c) {
            pc = null;
        }
        disconnected = true;
        c.close();
    }

    /** instanceLinkConnectionError: the connection died by itself. */
    void connectionLost(final LinkConnection c) {
        if (cc == c) {
            cc = null;
        } else if (pc == c) {
            pc = null;
        } else {
            return;
        }
        disconnected = true;
    }

    void closeAll() {
        closeConnection(cc);
        closeConnection(pc);
    }
}
