package dev.cinnabar.server.cron;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.server.Server;
import dev.cinnabar.storage.keyspace.ActiveExpireCycle;
import dev.cinnabar.storage.keyspace.Database;
import io.netty.channel.EventLoop;

/**
 * Redis's serverCron, run on the keyspace loop every 1000/hz ms: refresh the cached clock, the
 * save points, the active expire cycle, incremental rehashing of the databases. Each duty is an object with
 * doWork(...) so it can be driven by tests with a fake clock.
 */
public final class ServerCron {
    private final Server server;
    private final ActiveExpireCycle expireCycle;
    private final ClientsCron clientsCron;
    private long cronLoops;

    public ServerCron(final Server server) {
        this.server = server;
        this.expireCycle = new ActiveExpireCycle(server.keyspace());
        this.clientsCron = new ClientsCron(server);
    }

    public void schedule(final EventLoop loop) {
        final int hz = server.config().hz;
        loop.schedule(() -> {
            try {
                doWork();
            } finally {
                schedule(loop);
            }
        }, 1000 / hz, TimeUnit.MILLISECONDS);
    }

    /** One cron tick; returns the work done (keys expired). */
    public int doWork() {
        server.refreshClock();
        cronLoops++;
        final long nowMs = server.clock();
        final var stats = server.stats();
        stats.opsPerSec.track(server.commandStats().totalCommands, nowMs);
        stats.inputBytesPerSec.track(stats.netInputBytes, nowMs);
        stats.outputBytesPerSec.track(stats.netOutputBytes, nowMs);
        server.pause().expire(nowMs);
        clientsCron.doWork(nowMs);
        if (server.persistence() != null) {
            server.persistence().cron(nowMs);
        }
        final int expired = server.config().activeExpireEnabled ? expireCycle.doWork(server.config().hz) : 0;
        for (int i = 0; i < server.keyspace().databases(); i++) {
            final Database db = server.keyspace().db(i);
            db.cronResize(1000);
        }
        return expired;
    }

    public long cronLoops() {
        return cronLoops;
    }
}
