package dev.cinnabar.server.dispatch;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.resp.Args;

/**
 * Decides what a command sends to replicas and the AOF, Redis's call()/propagatePendingCommands:
 * a command propagates when it moved the dirty counter, as received unless the handler rewrote
 * it, followed by anything it asked to also propagate (e.g. DEL of keys found expired).
 *
 * <p>Why a buffer of pending commands: expiries found during a command must reach replicas before
 * the command itself, and a MULTI/EXEC must reach them as one block.
 */
public final class Propagator {
    /** Receives propagated commands with the database they apply to. */
    public interface Sink {
        void propagate(int dbId, byte[][] argv);
    }

    private final List<Sink> sinks = new ArrayList<>();
    private byte[][] replacement;
    private boolean prevented;
    private final List<byte[][]> also = new ArrayList<>();

    public void addSink(final Sink s) {
        sinks.add(s);
    }

    public void removeSink(final Sink s) {
        sinks.remove(s);
    }

    public boolean active() {
        return !sinks.isEmpty();
    }

    public void replaceCurrent(final byte[][] argv) {
        replacement = argv;
    }

    public void also(final byte[][] argv) {
        also.add(argv);
    }

    public void prevent() {
        prevented = true;
    }

    /** Sends an internally generated command (expired-key DEL, eviction) right away. */
    public void propagateNow(final int dbId, final byte[][] argv) {
        for (final Sink s : sinks) {
            s.propagate(dbId, argv);
        }
    }

    /** Ends a call: propagates as decided and resets the per-call state. */
    public void afterCall(final int dbId, final Args args, final boolean dirty) {
        if (!sinks.isEmpty()) {
            if (dirty && !prevented) {
                final byte[][] argv = replacement != null ? replacement : args.toArrays();
                propagateNow(dbId, argv);
            }
            for (final byte[][] a : also) {
                propagateNow(dbId, a);
            }
        }
        replacement = null;
        prevented = false;
        also.clear();
    }
}
