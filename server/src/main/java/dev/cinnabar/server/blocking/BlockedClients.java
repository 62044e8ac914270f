package dev.cinnabar.server.blocking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.pubsub.ByteKey;
import dev.cinnabar.storage.type.ValueType;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), Redis's blocked.c.
 *
 * <p>Why a blocked command is run again instead of served by per-type code: the handler already
 * knows how to pop, reply, notify and propagate (as its non-blocking equivalent); running it again
 * when a key it waits on becomes ready keeps one implementation of each command. A retry that
 * still finds nothing leaves the client blocked in its place, so service stays first come, first
 * served per key.
 *
 * <p>Keys become ready when a list or sorted set is created (Redis's signalKeyAsReady from dbAdd)
 * or databases are swapped; they are served after the command that made them ready finished —
 * after EXEC for a transaction — and a served command that makes another key ready (BLMOVE into a
 * list somebody waits on) is served in the same round.
 */
public final class BlockedClients {
    /** Why a client waits, until when, and the timer that ends the wait. */
    public static final class Wait {
        final CommandSpec spec;
        final ValueType type;
        final int dbId;
        final List<DbKey> keys;
        final ScheduledFuture<?> timer;

        Wait(final CommandSpec spec, final ValueType type, final int dbId, final List<DbKey> keys,
             final ScheduledFuture<?> timer) {
            this.spec = spec;
            this.type = type;
            this.dbId = dbId;
            this.keys = keys;
            this.timer = timer;
        }

        public CommandSpec spec() {
            return spec;
        }

        public ValueType type() {
            return type;
        }

    }

    private record DbKey(int dbId, ByteKey key) {
    }

    private final Server server;
    private final Map<DbKey, ArrayDeque<ClientSession>> waiting = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private boolean serving;
    private int blockedCount;

    public BlockedClients(final Server server) {
        this.server = server;
    }

    /** Number of clients waiting on keys (INFO blocked_clients). */
    public int count() {
        return blockedCount;
    }

    /** Blocks {@code c} on keys of its database; {@code timeoutMs} 0 waits forever. */
    public Wait block(final ClientSession c, final CommandSpec spec, final ValueType type, final byte[][] keys,
                      final long timeoutMs) {
        final List<DbKey> list = new ArrayList<>(keys.length);
        for (final byte[] k : keys) {
            final DbKey dk = new DbKey(c.dbIndex(), new ByteKey(k));
            if (!list.contains(dk)) {
                list.add(dk);
                waiting.computeIfAbsent(dk, x -> new ArrayDeque<>()).addLast(c);
            }
        }
        ScheduledFuture<?> timer = null;
        if (timeoutMs > 0 && c.channel() != null) {
            timer = c.channel().eventLoop().schedule(() -> timedOut(c), timeoutMs, TimeUnit.MILLISECONDS);
        }
        blockedCount++;
        return new Wait(spec, type, c.dbIndex(), list, timer);
    }

    /** Forgets a wait: served, timed out, unblocked or disconnected. */
    public void remove(final ClientSession c, final Wait w) {
        for (final DbKey k : w.keys) {
            final ArrayDeque<ClientSession> q = waiting.get(k);
            if (q != null) {
                q.remove(c);
                if (q.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
        if (w.timer != null) {
            w.timer.cancel(false);
        }
        blockedCount--;
    }

    private void timedOut(final ClientSession c) {
        server.beforeCommands();
        c.unblock(BlockedReply.TIMEOUT);
    }

    /** A list or sorted set was created at key: clients waiting on it are served after this command. */
    public void keyReady(final int dbId, final byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        final DbKey k = new DbKey(dbId, new ByteKey(key));
        if (waiting.containsKey(k)) {
            ready.add(k);
        }
    }

    /** SWAPDB: every key waited on in either database may now hold data. */
    public void dbSwapped(final int dbId1, final int dbId2) {
        for (final DbKey k : waiting.keySet()) {
            if (k.dbId() == dbId1 || k.dbId() == dbId2) {
                ready.add(k);
            }
        }
    }

    /**
     * Redis's handleClientsBlockedOnKeys: for each ready key, the clients waiting on it, oldest
     * first, run their command again. Bounded: each round consumes a ready key, and a key is only
     * made ready again by a command that created it anew.
     */
    public void serveReadyKeys() {
        if (ready.isEmpty() || serving) {
            return;
        }
        serving = true;
        try {
            while (!ready.isEmpty()) {
                final Iterator<DbKey> it = ready.iterator();
                final DbKey k = it.next();
                it.remove();
                final ArrayDeque<ClientSession> q = waiting.get(k);
                if (q == null) {
                    continue;
                }
                final byte[] key = k.key().bytes();
                for (final ClientSession c : q.toArray(new ClientSession[0])) {
                    final Object v = server.keyspace().db(k.dbId()).lookupReadNoTouch(key, 0, key.length);
                    if (v == null) {
                        break;
                    }
                    // a list does not serve a client waiting for a sorted set, nor the reverse (Redis's btype)
                    if (c.waitType() == ValueType.of(v)) {
                        c.retryBlocked();
                    }
                }
            }
        } finally {
            serving = false;
        }
    }
}
