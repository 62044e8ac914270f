package dev.cinnabar.server.multi;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;

/**
 * One client's transaction state (Redis's multiState plus the CLIENT_MULTI / CLIENT_DIRTY_EXEC /
 * CLIENT_DIRTY_CAS flags): the queued commands, whether queueing failed, and whether a watched
 * key changed.
 */
public final class MultiState {
    /** A queued command: its resolved spec and an owning copy of its arguments. */
    public record Queued(CommandSpec spec, Args args) {
    }

    /**
     * A watched key. {@code expiredAtWatch}: the key was already logically expired when WATCH ran,
     * so its later deletion is no change; cleared once that deletion happens (Redis's wk->expired).
     */
    static final class Watched {
        final MultiState owner;
        final int dbId;
        final byte[] key;
        boolean expiredAtWatch;

        Watched(final MultiState owner, final int dbId, final byte[] key, final boolean expiredAtWatch) {
            this.owner = owner;
            this.dbId = dbId;
            this.key = key;
            this.expiredAtWatch = expiredAtWatch;
        }
    }

    private boolean active;
    private boolean dirtyExec;
    /** EXEC is running the queue: blocking commands must not block (Redis's CLIENT_DENY_BLOCKING). */
    private boolean executing;
    boolean dirtyCas;
    private final List<Queued> queue = new ArrayList<>();
    final List<Watched> watched = new ArrayList<>();

    public boolean active() {
        return active;
    }

    public void begin() {
        active = true;
    }

    public void queue(final CommandSpec spec, final Args args) {
        queue.add(new Queued(spec, args.detach()));
    }

    public List<Queued> queued() {
        return queue;
    }

    /** A command was rejected while queueing: EXEC will abort (Redis's flagTransaction). */
    public void flagError() {
        if (active) {
            dirtyExec = true;
        }
    }

    public boolean executing() {
        return executing;
    }

    public void executing(final boolean e) {
        this.executing = e;
    }

    public boolean dirtyExec() {
        return dirtyExec;
    }

    public boolean dirtyCas() {
        return dirtyCas;
    }

    public boolean watching() {
        return !watched.isEmpty();
    }

    public int watchedCount() {
        return watched.size();
    }

    /** Ends the transaction (EXEC done, DISCARD, RESET): the queue and flags go, WATCHes stay. */
    public void reset() {
        active = false;
        dirtyExec = false;
        queue.clear();
    }
}
