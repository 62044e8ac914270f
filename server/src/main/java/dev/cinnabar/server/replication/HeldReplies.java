package dev.cinnabar.server.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cinnabar.replication.Replication;
import dev.cinnabar.replication.ReplicationSettings;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.net.ClientSession;

/**
 * Replies that wait for the replicas (`cinnabar-sync-replicas`, issue 11).
 *
 * <p>Why: replication is asynchronous, so a master cut off from its replicas and sentinels while
 * its clients still reach it acknowledges writes that the replica promoted in its place never
 * receives; the lease bounds that loss, it does not remove it. Here a client whose commands wrote
 * gets its replies only once {@code n} replicas acknowledged the offset those writes reached. The
 * sentinels promote the replica with the largest offset, which then holds every acknowledged write.
 *
 * <ol>
 *   <li>A held client is not read (its next commands would only queue behind the held replies).
 *       GETACK is asked once per loop turn for all of them, as for WAIT.</li>
 *   <li>Only on a master its sentinels manage (the lease's fence is on and sentinels named it):
 *       only a sentinel promotes on its own, so elsewhere replies go at once, as in Redis.</li>
 *   <li>Only while at least {@code n} replicas are online and acknowledged within the lease plus
 *       the timeout: a master with fewer (its replicas resyncing, gone, or frozen) has nobody to
 *       wait for and answers as Redis does. The window outlasts the lease, so a master cut off from
 *       replicas and sentinels alike refuses writes before its replicas stop counting.</li>
 *   <li>A reply still held after `cinnabar-sync-timeout-ms`, or when this node stopped being a
 *       master before the acknowledgement came, is never sent: the connection closes, so the client
 *       sees an error for a write whose fate it cannot know, never a +OK the new master may lack.</li>
 * </ol>
 */
final class HeldReplies {
    private enum Verdict { SEND, WAIT, DROP }

    private final Server server;
    private final ServerReplication replication;
    /** Held clients and when each one's wait ends. */
    private final Map<ClientSession, Long> deadlines = new LinkedHashMap<>();
    private final OncePerTurn check;

    HeldReplies(final Server server, final ServerReplication replication) {
        this.server = server;
        this.replication = replication;
        this.check = new OncePerTurn(server, this::check);
    }

    /** Whether {@code c}'s replies must wait now; a client newly held stops being read. */
    boolean holds(final ClientSession c) {
        final Verdict v = verdict(c.replyAfterOffset());
        if (v != Verdict.WAIT) {
            // DROP cannot come up before the client was held: it is decided for held clients in check()
            c.replyAfterOffset(0);
            return false;
        }
        if (!deadlines.containsKey(c)) {
            deadlines.put(c, server.clock() + replication.settings().syncTimeoutMs);
            c.channel().config().setAutoRead(false);
            replication.waiting().requestAcks();
        }
        return true;
    }

    private Verdict verdict(final long offset) {
        final ReplicationSettings settings = replication.settings();
        final Replication state = replication.state();
        if (settings.syncReplicas <= 0 || state.countAcks(offset) >= settings.syncReplicas) {
            return Verdict.SEND;
        }
        if (state.isReplica()) {
            return Verdict.DROP;
        }
        if (!replication.fence().state().sentinelManaged()) {
            return Verdict.SEND;
        }
        // the window outlasts the lease: a master cut off from everyone is fenced before its replicas stop counting
        final long window = settings.masterLeaseMs + settings.syncTimeoutMs;
        return state.responsiveReplicas(server.clock(), window) >= settings.syncReplicas ? Verdict.WAIT : Verdict.SEND;
    }

    /** An ACK arrived: the held clients are checked once after this loop turn. */
    void acked() {
        if (!deadlines.isEmpty()) {
            check.request();
        }
    }

    /** Cron: deadlines, and replicas that went away. */
    void tick() {
        if (!deadlines.isEmpty()) {
            check();
        }
    }

    private void check() {
        final long now = server.clock();
        int dropped = 0;
        int abandoned = 0;
        long neededOffset = 0;
        for (final Map.Entry<ClientSession, Long> e : new ArrayList<>(deadlines.entrySet())) {
            final ClientSession c = e.getKey();
            if (c.channel() == null || !c.channel().isActive()) {
                // the client gave up first (its own timeout): as telling as a drop, say it too
                deadlines.remove(c);
                abandoned++;
                neededOffset = Math.max(neededOffset, c.replyAfterOffset());
                continue;
            }
            Verdict v = verdict(c.replyAfterOffset());
            if (v == Verdict.WAIT && now >= e.getValue()) {
                v = Verdict.DROP;
            }
            if (v == Verdict.SEND) {
                deadlines.remove(c);
                c.replyAfterOffset(0);
                c.channel().config().setAutoRead(true);
                c.flush();
                if (c.closingAfterReply()) {
                    c.channel().close();
                }
            } else if (v == Verdict.DROP) {
                deadlines.remove(c);
                dropped++;
                neededOffset = Math.max(neededOffset, c.replyAfterOffset());
                c.closeNow();
            }
        }
        if (dropped + abandoned > 0) {
            // once per check: a partition would otherwise log a line per writer
            final Replication state = replication.state();
            ServerLog.notice("Closed " + dropped + " client(s) without their replies, " + abandoned
                + " closed by the client while waiting: writes up to offset " + neededOffset
                + " not acknowledged by " + replication.settings().syncReplicas + " replica(s) in time (role "
                + (state.isReplica() ? "replica" : "master") + ", replicas acknowledging it: "
                + state.countAcks(neededOffset) + ", master offset " + state.masterReplOffset() + ")");
        }
    }
}
