package dev.cinnabar.server.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Clients blocked in WAIT (Redis's clients_waiting_acks): each waits until enough replicas
 * acknowledged the offset it asked for, or its timeout.
 *
 * <p>Why the blocked-clients machinery: a WAIT must hold back the client's next commands until it
 * replies, exactly as BLPOP does; the session blocks on no key, and WAIT's handler runs again
 * (through {@link ClientSession#retryBlocked}) when acknowledgements arrive or the deadline passes,
 * finding its entry here and replying with the count.
 *
 * <ol>
 *   <li>An entry exists only while its client is blocked; a client unblocked otherwise (CLIENT
 *       UNBLOCK, disconnection) has its entry dropped at the next check.</li>
 *   <li>GETACK is requested at most once per loop turn, whatever the number of WAITs.</li>
 * </ol>
 *
 * <p>Redis: replication.c waitCommand(), processClientsWaitingReplicas(), and beforeSleep's
 * get_ack_from_slaves.
 */
final class WaitingClients {
    /** One blocked WAIT. */
    record Waiter(long offset, long numReplicas, long deadlineMs, ScheduledFuture<?> timer) {
    }

    private static final byte[][] NO_KEYS = new byte[0][];

    private final Server server;
    private final ServerReplication replication;
    private final Map<ClientSession, Waiter> waiters = new HashMap<>();
    private final OncePerTurn ackRequest;
    private final OncePerTurn check;

    WaitingClients(final Server server, final ServerReplication replication) {
        this.server = server;
        this.replication = replication;
        this.ackRequest = new OncePerTurn(server, () -> replication.state().requestAcks());
        this.check = new OncePerTurn(server, this::checkAll);
    }

    /** The entry of a client that is blocked in WAIT now, or null (its WAIT is a new one). */
    Waiter current(final ClientSession c) {
        final Waiter w = waiters.get(c);
        if (w != null && !c.blocked()) {
            forget(c);
            return null;
        }
        return w;
    }

    /**
     * Blocks {@code c} until {@code numReplicas} acknowledged {@code offset} or {@code timeoutMs}
     * (0: forever) passed. Returns false when the client cannot block (inside EXEC).
     */
    boolean block(final ClientSession c, final long offset, final long numReplicas, final long timeoutMs) {
        if (!c.block(null, 0, NO_KEYS)) {
            return false;
        }
        ScheduledFuture<?> timer = null;
        long deadline = Long.MAX_VALUE;
        if (timeoutMs > 0) {
            deadline = server.clock() + timeoutMs;
            timer = replication.loop().schedule(() -> {
                server.refreshClock();
                retry(c);
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        waiters.put(c, new Waiter(offset, numReplicas, deadline, timer));
        requestAcks();
        return true;
    }

    /** A re-run WAIT that is still short of acknowledgements keeps its place and deadline. */
    void stay(final ClientSession c) {
        c.block(null, 0, NO_KEYS);
    }

    /** The WAIT of {@code c} replied: forget it. */
    void forget(final ClientSession c) {
        final Waiter w = waiters.remove(c);
        if (w != null && w.timer() != null) {
            w.timer().cancel(false);
        }
    }

    /** REPLCONF GETACK * to every replica, once after this loop turn (for held replies too). */
    void requestAcks() {
        ackRequest.request();
    }

    /** An ACK arrived: the waiters are checked once after this loop turn. */
    void acked() {
        if (!waiters.isEmpty()) {
            check.request();
        }
    }

    /** Cron: drops entries of clients gone or unblocked otherwise. */
    void tick() {
        if (!waiters.isEmpty()) {
            checkAll();
        }
    }

    private void checkAll() {
        for (final Map.Entry<ClientSession, Waiter> e : new ArrayList<>(waiters.entrySet())) {
            final ClientSession c = e.getKey();
            final Waiter w = e.getValue();
            if (!c.blocked() || c.channel() == null || !c.channel().isActive()) {
                forget(c);
            } else if (replication.state().countAcks(w.offset()) >= w.numReplicas()
                || server.clock() >= w.deadlineMs()) {
                retry(c);
            }
        }
    }

    /** Runs the client's WAIT again; its handler replies and forgets it when the wait is over. */
    private void retry(final ClientSession c) {
        if (waiters.containsKey(c) && c.blocked()) {
            c.retryBlocked();
        }
    }
}
