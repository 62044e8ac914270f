package dev.cinnabar.server.dispatch;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;

/**
 * Decides what a command sends to replicas and the AOF, Redis's call()/propagatePendingCommands:
 * a command propagates when it moved the dirty counter or asked to ({@link #force}: PUBLISH, so
 * subscribers on replicas get the message), as received unless the handler rewrote it, followed by
 * anything it asked to also propagate (e.g. DEL of keys found expired).
 *
 * <p>Why a buffer during EXEC: the writes of a transaction must reach replicas as one MULTI ...
 * EXEC block, and — as in Redis 7.0 — a transaction that wrote only once propagates that single
 * command unwrapped, since one command is atomic anyway.
 */
public final class Propagator {
    /** Receives propagated commands with the database they apply to. */
    public interface Sink {
        void propagate(int dbId, byte[][] argv);

        /**
         * A command propagated as received. The arguments are a view of the client's input, reused
         * after the call: the sink copies what it keeps (the replication stream encodes them at once,
         * without the intermediate arrays).
         */
        default void propagate(final int dbId, final Args args) {
            propagate(dbId, args.toArrays());
        }

        /** False when whatever were propagated now would be dropped (a replica's own writes). */
        default boolean accepting() {
            return true;
        }
    }

    private static final byte[][] MULTI = {Bytes.ascii("MULTI")};
    private static final byte[][] EXEC = {Bytes.ascii("EXEC")};

    private record Pending(int dbId, byte[][] argv) {
    }

    private final List<Sink> sinks = new ArrayList<>();
    private byte[][] replacement;
    private boolean prevented;
    private boolean forced;
    private boolean forcedOnly;
    private final List<byte[][]> also = new ArrayList<>();
    private int execDepth;
    private final List<Pending> transaction = new ArrayList<>();

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

    /** The current command propagates though it changed no data (Redis's forceCommandPropagation: PUBLISH). */
    public void force() {
        forced = true;
    }

    /** Whether what propagates now is a forced command that changed no data (its reply need not wait for replicas). */
    public boolean forcedOnly() {
        return forcedOnly;
    }

    /** Sends an internally generated command (expired-key DEL, eviction), inside the transaction if one runs. */
    public void propagateNow(final int dbId, final byte[][] argv) {
        if (sinks.isEmpty()) {
            return;
        }
        if (execDepth > 0) {
            transaction.add(new Pending(dbId, argv));
            return;
        }
        emit(dbId, argv);
    }

    private void emit(final int dbId, final byte[][] argv) {
        for (final Sink s : sinks) {
            s.propagate(dbId, argv);
        }
    }

    /** Ends a call: propagates as decided and resets the per-call state. */
    public void afterCall(final int dbId, final Args args, final boolean dirty) {
        if (accepting()) {
            forcedOnly = forced && !dirty;
            if ((dirty || forced) && !prevented) {
                if (replacement != null) {
                    propagateNow(dbId, replacement);
                } else if (execDepth > 0) {
                    // kept until EXEC ends, while the client's input buffer moves on
                    propagateNow(dbId, args.toArrays());
                } else {
                    for (int i = 0; i < sinks.size(); i++) {
                        sinks.get(i).propagate(dbId, args);
                    }
                }
            }
            for (final byte[][] a : also) {
                propagateNow(dbId, a);
            }
        }
        replacement = null;
        prevented = false;
        forced = false;
        forcedOnly = false;
        also.clear();
    }

    private boolean accepting() {
        for (int i = 0; i < sinks.size(); i++) {
            if (sinks.get(i).accepting()) {
                return true;
            }
        }
        return false;
    }

    /** EXEC starts running its queue: collect the writes. */
    public void enterExec() {
        execDepth++;
    }

    /** EXEC finished: send the collected writes, wrapped in MULTI/EXEC when there are several. */
    public void exitExec() {
        if (--execDepth > 0) {
            return;
        }
        final int n = transaction.size();
        if (n > 1) {
            emit(transaction.get(0).dbId(), MULTI);
        }
        for (final Pending p : transaction) {
            emit(p.dbId(), p.argv());
        }
        if (n > 1) {
            emit(transaction.get(n - 1).dbId(), EXEC);
        }
        transaction.clear();
    }
}
