package dev.cinnabar.sentinel;

import java.util.HashMap;
import java.util.Map;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.sentinel.SentinelEventSink.Level;

/**
 * The monitoring half of the timer and the callbacks of the replies it provokes. Redis: sentinel.c
 * sentinelReconnectInstance(), sentinelSendPeriodicCommands(), sentinelSendPing(), sentinelSendHello(),
 * sentinelSendSlaveOf() and the *ReplyCallback functions.
 *
 * <p>Why: failure detection must be able to tell "no reply" from "no link", so a link is marked connected as soon as
 * a connection attempt starts (replies, not TCP, prove liveness), the oldest unanswered PING dates the outage, and
 * every command is counted in {@code pendingCommands} so a stuck link stops receiving new ones.
 *
 * <ol>
 * <li>Each connection starts with AUTH (when configured) and CLIENT SETNAME sentinel-&lt;id8&gt;-cmd|pubsub; the
 *     command one sends a PING at once, the pub/sub one SUBSCRIBEs to the hello channel.</li>
 * <li>PING when the last pong is older than min(down-after, ping-period) and the last PING older than half that;
 *     INFO every info-period (every second for a replica of an ODOWN / failing-over master or with its replication
 *     link down); hello every publish-period.</li>
 * <li>Only PONG, LOADING and MASTERDOWN replies count as "available"; any reply counts as a pong.</li>
 * </ol>
 */
final class InstanceMonitor {
    private final Sentinel s;
    /**
     * (Cinnabar) Data nodes this sentinel paused for writes (a coordinated failover's CLIENT PAUSE WRITE) and has not
     * unpaused, by ip:port, with when the pause ends by itself. The pause must end with the node's demotion: a fenced
     * master whose link is down when the promotion is seen is demoted later (+convert-to-slave), and still paused it
     * would, as a replica, leave the new master's stream unapplied, so every write there waits for its ACK in vain.
     */
    private final Map<String, Long> pausedByUs = new HashMap<>();

    InstanceMonitor(final Sentinel s) {
        this.s = s;
    }

    /** sentinelReconnectInstance: (re)open the missing connections, at most once per ping period. */
    void reconnect(final SentinelInstance ri, final long nowMs) {
        final InstanceLink link = ri.link;
        if (!link.disconnected || ri.addr.port() == 0) {
            return;
        }
        if (nowMs - link.lastReconnTime < s.timings.pingPeriod) {
            return;
        }
        link.lastReconnTime = nowMs;
        if (link.cc == null) {
            if (s.resolveHostnames) {
                final SentinelAddr again = s.tryAddr(ri.addr.hostname(), ri.addr.port(), false);
                if (again != null) {
                    ri.addr = again;
                }
            }
            final LinkConnection cc = open(link, ri);
            if (cc == null) {
                s.instanceEvent(Level.DEBUG, "-cmd-link-reconnection", ri, " #Failed to establish connection");
            } else {
                link.pendingCommands = 0;
                link.ccConnTime = nowMs;
                link.cc = cc;
                sendAuthIfNeeded(ri, cc);
                setClientName(ri, cc, "cmd");
                sendPing(ri, nowMs);
                if (ri.isMaster()) {
                    // (Cinnabar) a master whose link dropped may have restarted, fenced at start-up and
                    // waiting for us (InfoRefresher.startFence): read its INFO now, not up to 10 s later
                    ri.infoRefresh = 0;
                }
            }
        }
        if (!ri.isSentinel() && link.pc == null) {
            final LinkConnection pc = open(link, ri);
            if (pc == null) {
                s.instanceEvent(Level.DEBUG, "-pubsub-link-reconnection", ri, " #Failed to establish connection");
            } else {
                link.pcConnTime = nowMs;
                link.pc = pc;
                sendAuthIfNeeded(ri, pc);
                setClientName(ri, pc, "pubsub");
                pc.subscribe(reply -> receiveHello(ri, reply), ri.mapCommand("SUBSCRIBE"), Sentinel.HELLO_CHANNEL);
            }
        }
        if (link.cc != null && (ri.isSentinel() || link.pc != null)) {
            link.disconnected = false;
        }
    }

    private LinkConnection open(final InstanceLink link, final SentinelInstance ri) {
        final LinkConnection[] self = new LinkConnection[1];
        self[0] = s.env.connector().connect(ri.addr.ip(), ri.addr.port(), () -> link.connectionLost(self[0]));
        return self[0];
    }

    /** sentinelSendAuthIfNeeded: the master's credentials for data nodes, sentinel-user/pass for sentinels. */
    private void sendAuthIfNeeded(final SentinelInstance ri, final LinkConnection c) {
        String pass;
        String user;
        if (ri.isSentinel()) {
            if (s.sentinelAuthPass != null) {
                pass = s.sentinelAuthPass;
                user = s.sentinelAuthUser;
            } else {
                // compatibility with old configs: requirepass serves both directions
                pass = s.env.requirepass().get();
                user = null;
            }
        } else {
            final SentinelInstance m = ri.masterOf();
            pass = m.authPass;
            user = m.authUser;
        }
        if (pass == null || pass.isEmpty()) {
            return;
        }
        final InstanceLink link = ri.link;
        if (user == null) {
            c.command(r -> link.pendingCommands--, ri.mapCommand("AUTH"), pass);
        } else {
            c.command(r -> link.pendingCommands--, ri.mapCommand("AUTH"), user, pass);
        }
        link.pendingCommands++;
    }

    private void setClientName(final SentinelInstance ri, final LinkConnection c, final String type) {
        final InstanceLink link = ri.link;
        final String id = s.myid == null ? "" : s.myid.substring(0, Math.min(8, s.myid.length()));
        c.command(r -> link.pendingCommands--, ri.mapCommand("CLIENT"), "SETNAME", "sentinel-" + id + "-" + type);
        link.pendingCommands++;
    }

    /** sentinelSendPeriodicCommands. */
    void sendPeriodicCommands(final SentinelInstance ri, final long nowMs) {
        final InstanceLink link = ri.link;
        if (link.disconnected || link.cc == null) {
            return;
        }
        // INFO, PING and hello are not critical: a link with too many unanswered commands gets no more of them
        if (link.pendingCommands >= Sentinel.MAX_PENDING_COMMANDS * link.refcount) {
            return;
        }
        final long infoPeriod;
        if (ri.isSlave() && (ri.master.has(InstanceFlag.O_DOWN) || ri.master.has(InstanceFlag.FAILOVER_IN_PROGRESS)
            || ri.masterLinkDownTime != 0)) {
            infoPeriod = 1000;
        } else if (ri.isMaster() && ("starting".equals(ri.fence) || "diverged".equals(ri.fence))) {
            infoPeriod = 1000; // a Cinnabar master fenced at start-up waits for us (InfoRefresher.startFence)
        } else {
            infoPeriod = s.timings.infoPeriod;
        }
        final long pingPeriod = Math.min(ri.downAfterPeriod, s.timings.pingPeriod);
        if (!ri.isSentinel() && (ri.infoRefresh == 0 || nowMs - ri.infoRefresh > infoPeriod)) {
            sendInfo(ri);
        }
        if (nowMs - link.lastPongTime > pingPeriod && nowMs - link.lastPingTime > pingPeriod / 2) {
            sendPing(ri, nowMs);
        }
        // (Cinnabar) not to a node we paused for a coordinated failover: Redis holds a PUBLISH under CLIENT PAUSE
        // WRITE, and every command after it on this link with it, our SLAVEOF transaction and CLIENT UNPAUSE
        // included, until the pause ends (failover-timeout) or the held link is closed (FailureDetector)
        if (nowMs - ri.lastPubTime > s.timings.publishPeriod && !pausedByUs(ri, nowMs)) {
            sendHello(ri);
        }
    }

    /** INFO on the command link, its reply to {@link InfoRefresher}. False when not sent. */
    boolean sendInfo(final SentinelInstance ri) {
        final InstanceLink link = ri.link;
        if (link.cc == null) {
            return false;
        }
        link.cc.command(r -> onInfoReply(ri, link, r), ri.mapCommand("INFO"));
        link.pendingCommands++;
        return true;
    }

    /** sentinelSendPing: the active ping time moves only once the previous PING was answered. */
    boolean sendPing(final SentinelInstance ri, final long nowMs) {
        final InstanceLink link = ri.link;
        if (link.cc == null) {
            return false;
        }
        link.cc.command(r -> onPingReply(ri, link, r), ri.mapCommand("PING"));
        link.pendingCommands++;
        link.lastPingTime = nowMs;
        if (link.actPingTime == 0) {
            link.actPingTime = nowMs;
        }
        return true;
    }

    private void onPingReply(final SentinelInstance ri, final InstanceLink link, final RespValue r) {
        link.pendingCommands--;
        final long now = s.env.clock().getAsLong();
        if (r.is(RespValue.Type.SIMPLE) || r.is(RespValue.Type.ERROR)) {
            final String text = r.string();
            if (text.startsWith("PONG") || text.startsWith("LOADING") || text.startsWith("MASTERDOWN")) {
                link.lastAvailTime = now;
                link.actPingTime = 0;
                if (ri.has(InstanceFlag.MASTER_REBOOT) && text.startsWith("PONG")) {
                    ri.flags.remove(InstanceFlag.MASTER_REBOOT);
                }
            } else if (text.startsWith("BUSY") && ri.has(InstanceFlag.S_DOWN)
                && !ri.has(InstanceFlag.SCRIPT_KILL_SENT) && !ri.released) {
                // the instance looks down because a script is running: kill it
                if (link.cc != null) {
                    link.cc.command(x -> link.pendingCommands--, ri.mapCommand("SCRIPT"), "KILL");
                    link.pendingCommands++;
                }
                ri.flags.add(InstanceFlag.SCRIPT_KILL_SENT);
            }
        }
        link.lastPongTime = now;
    }

    private void onInfoReply(final SentinelInstance ri, final InstanceLink link, final RespValue r) {
        link.pendingCommands--;
        if (ri.released) {
            return;
        }
        if (r.is(RespValue.Type.BULK) || r.is(RespValue.Type.VERBATIM)) {
            s.infoRefresher.refresh(ri, r.string(), s.env.clock().getAsLong());
        }
    }

    /** sentinelSendHello: PUBLISH our hello (for this instance's master) through its command link. */
    boolean sendHello(final SentinelInstance ri) {
        final InstanceLink link = ri.link;
        if (link.disconnected || link.cc == null) {
            return false;
        }
        final SentinelInstance master = ri.masterOf();
        final SentinelAddr masterAddr = s.currentMasterAddress(master);
        final String ip = s.announceIp != null && !s.announceIp.isEmpty() ? s.announceIp : link.cc.localIp();
        if (ip == null) {
            return false;
        }
        final int port = s.announcePort != 0 ? s.announcePort : s.env.port().getAsInt();
        final Hello hello = new Hello(ip, port, s.myid, s.currentEpoch, master.name,
            masterAddr.announce(s.announceHostnames), masterAddr.port(), master.configEpoch);
        link.cc.command(r -> onPublishReply(ri, link, r), ri.mapCommand("PUBLISH"), Sentinel.HELLO_CHANNEL,
            hello.format());
        link.pendingCommands++;
        return true;
    }

    private void onPublishReply(final SentinelInstance ri, final InstanceLink link, final RespValue r) {
        link.pendingCommands--;
        // only a published hello counts; otherwise the next tick tries again
        if (!r.isError()) {
            ri.lastPubTime = s.env.clock().getAsLong();
        }
    }

    /** sentinelReceiveHelloMessages: a message on the hello channel of a master or replica. */
    private void receiveHello(final SentinelInstance ri, final RespValue r) {
        if (ri.released) {
            return;
        }
        final long now = s.env.clock().getAsLong();
        ri.link.pcLastActivity = now;
        if (!r.isAggregate() || r.size() != 3 || !r.get(0).is(RespValue.Type.BULK)
            || !r.get(1).is(RespValue.Type.BULK) || !r.get(2).is(RespValue.Type.BULK)
            || !r.get(0).string().equals("message")) {
            return;
        }
        final String msg = r.get(2).string();
        if (s.myid != null && msg.contains(s.myid)) {
            return;
        }
        s.processHello(msg, now);
    }

    /**
     * sentinelSendSlaveOf: MULTI, SLAVEOF host port (or NO ONE), CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL
     * TYPE pubsub, EXEC. The transaction makes the switch and the disconnection of clients (so they ask the
     * sentinels again) atomic; replies are ignored, the effect is observed in INFO. A node we paused and now make a
     * replica gets CLIENT UNPAUSE behind it (Cinnabar). False when not sent.
     */
    boolean sendSlaveOf(final SentinelInstance ri, final SentinelAddr addr) {
        final InstanceLink link = ri.link;
        final LinkConnection cc = link.cc;
        if (cc == null) {
            return false;
        }
        final String host = addr == null ? "NO" : addr.announce(s.announceHostnames);
        final String port = addr == null ? "ONE" : Integer.toString(addr.port());
        send(ri, cc, ri.mapCommand("MULTI"));
        send(ri, cc, ri.mapCommand("SLAVEOF"), host, port);
        send(ri, cc, ri.mapCommand("CONFIG"), "REWRITE");
        send(ri, cc, ri.mapCommand("CLIENT"), "KILL", "TYPE", "normal");
        send(ri, cc, ri.mapCommand("CLIENT"), "KILL", "TYPE", "pubsub");
        send(ri, cc, ri.mapCommand("EXEC"));
        final Long pausedUntil = addr == null ? null : pausedByUs.remove(pauseKey(ri));
        if (pausedUntil != null && pausedUntil > s.env.clock().getAsLong()) {
            send(ri, cc, ri.mapCommand("CLIENT"), "UNPAUSE");
        }
        return true;
    }

    /** (Cinnabar) CLIENT PAUSE WRITE for {@code ms}, remembered until unpaused or demoted. False when not sent. */
    boolean pauseWrites(final SentinelInstance ri, final long ms) {
        final LinkConnection cc = ri.link.cc;
        if (cc == null) {
            return false;
        }
        send(ri, cc, ri.mapCommand("CLIENT"), "PAUSE", Long.toString(ms), "WRITE");
        pausedByUs.put(pauseKey(ri), s.env.clock().getAsLong() + ms);
        return true;
    }

    /**
     * (Cinnabar) A node we paused reports role:slave: another sentinel demoted it, or our SLAVEOF went out on a link
     * that was lost before the UNPAUSE behind it. Lift the pause now rather than at its timeout.
     */
    void unpauseDemoted(final SentinelInstance ri) {
        final Long pausedUntil = pausedByUs.get(pauseKey(ri));
        if (pausedUntil == null || ri.link.cc == null) {
            return;
        }
        if (pausedUntil <= s.env.clock().getAsLong()) {
            pausedByUs.remove(pauseKey(ri));
            return;
        }
        unpauseWrites(ri);
        s.instanceEvent(Level.NOTICE, "+unpause-demoted", ri, "");
    }

    /** (Cinnabar) Whether {@code ri} may still be under a pause of ours. */
    boolean pausedByUs(final SentinelInstance ri, final long nowMs) {
        final Long until = pausedByUs.get(pauseKey(ri));
        return until != null && until > nowMs;
    }

    private static String pauseKey(final SentinelInstance ri) {
        return ri.addr.ip() + ":" + ri.addr.port();
    }

    /** (Cinnabar) CLIENT UNPAUSE for a node we paused whose failover was abandoned. */
    void unpauseWrites(final SentinelInstance ri) {
        pausedByUs.remove(pauseKey(ri));
        if (ri.link.cc != null) {
            send(ri, ri.link.cc, ri.mapCommand("CLIENT"), "UNPAUSE");
        }
    }

    /** A bare SLAVEOF NO ONE: confirms a Cinnabar master fenced at start-up. False when not sent. */
    boolean sendReplicaOfNoOne(final SentinelInstance ri) {
        final LinkConnection cc = ri.link.cc;
        if (cc == null) {
            return false;
        }
        send(ri, cc, ri.mapCommand("SLAVEOF"), "NO", "ONE");
        return true;
    }

    /**
     * (Cinnabar) CONFIG SET cinnabar-start-fenced-ms, then CONFIG REWRITE: an error is told once as an event (a node
     * started without a config file keeps the setting until it restarts). False when not sent.
     */
    boolean sendStartFence(final SentinelInstance ri, final long boundMs) {
        final LinkConnection cc = ri.link.cc;
        if (cc == null) {
            return false;
        }
        sendReporting(ri, cc, "-start-fence-refused", ri.mapCommand("CONFIG"), "SET", "cinnabar-start-fenced-ms",
            Long.toString(boundMs));
        sendReporting(ri, cc, "-start-fence-not-persisted", ri.mapCommand("CONFIG"), "REWRITE");
        return true;
    }

    /** A command whose error reply becomes event {@code onError}. */
    private void sendReporting(final SentinelInstance ri, final LinkConnection cc, final String onError,
                               final String... argv) {
        final InstanceLink link = ri.link;
        cc.command(r -> {
            link.pendingCommands--;
            if (r.isError() && !ri.released) {
                s.instanceEvent(Level.WARNING, onError, ri, " #" + r.string());
            }
        }, argv);
        link.pendingCommands++;
    }

    private static void send(final SentinelInstance ri, final LinkConnection cc, final String... argv) {
        final InstanceLink link = ri.link;
        cc.command(r -> link.pendingCommands--, argv);
        link.pendingCommands++;
    }
}
