package dev.cinnabar.server.cron;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;

/**
 * Redis's clientsCron duties that exist so far: close clients idle longer than {@code timeout}
 * seconds (never monitors, subscribers, blocked or paused clients, as clientsCronHandleTimeout
 * spares replicas, pub/sub and blocked clients) and shrink idle query buffers.
 */
public final class ClientsCron {
    private final Server server;

    public ClientsCron(final Server server) {
        this.server = server;
    }

    /** Returns the number of clients closed for idleness; the master's client on a replica never is. */
    public int doWork(final long nowMs) {
        final long timeoutSeconds = server.config().timeoutSeconds;
        List<ClientSession> idle = null;
        for (final ClientSession c : server.clients()) {
            c.decoder().trimIfIdle();
            if (timeoutSeconds > 0 && !c.monitor() && !c.master() && !c.postponed()
                && c.pubsubChannels() + c.pubsubPatterns() + c.pubsubShardChannels() == 0
                && !c.blocked()
                && (nowMs - c.lastInteractionMs()) / 1000 > timeoutSeconds) {
                if (idle == null) {
                    idle = new ArrayList<>();
                }
                idle.add(c);
            }
        }
        if (idle == null) {
            return 0;
        }
        for (final ClientSession c : idle) {
            dev.cinnabar.server.ServerLog.verbose("Closing idle client");
            c.closeNow();
        }
        return idle.size();
    }
}
