package dev.cinnabar.server.replication;

import dev.cinnabar.server.Server;

/** A task run once after this loop turn, however many times it was asked for during the turn. */
final class OncePerTurn {
    private final Server server;
    private final Runnable task;
    private boolean scheduled;

    OncePerTurn(final Server server, final Runnable task) {
        this.server = server;
        this.task = task;
    }

    void request() {
        if (!scheduled) {
            scheduled = true;
            server.runAfterBatch(() -> {
                scheduled = false;
                task.run();
            });
        }
    }
}
