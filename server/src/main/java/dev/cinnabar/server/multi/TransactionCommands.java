package dev.cinnabar.server.multi;

import static dev.cinnabar.protocol.command.AclCategory.TRANSACTION;
import static dev.cinnabar.protocol.command.CommandFlag.ALLOW_BUSY;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.SKIP_SLOWLOG;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.util.List;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.net.ClientSession;

/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (Redis's multi.c). Queueing itself happens in the
 * dispatcher, which knows which commands run at once inside MULTI; EXEC runs the queue through
 * the dispatcher's call() so statistics and propagation are the same as outside a transaction,
 * with the propagated writes wrapped in one MULTI ... EXEC block.
 */
public final class TransactionCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        t.command("MULTI").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(TRANSACTION)
            .group("transactions").since("1.2.0").summary("Mark the start of a transaction block")
            .complexity("O(1)").handler(this::multi);
        t.command("EXEC").arity(1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).acl(TRANSACTION)
            .group("transactions").since("1.2.0").summary("Execute all commands issued after MULTI")
            .complexity("Depends on commands in the transaction").handler(this::exec);
        t.command("DISCARD").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(TRANSACTION)
            .group("transactions").since("2.0.0").summary("Discard all commands issued after MULTI")
            .complexity("O(N), when N is the number of queued commands").handler(this::discard);
        t.command("WATCH").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(TRANSACTION)
            .keys(KeySpec.range(1, -1, 1, KeySpec.RO))
            .group("transactions").since("2.2.0")
            .summary("Watch the given keys to determine execution of the MULTI/EXEC block")
            .complexity("O(1) for every key.").handler(this::watch);
        t.command("UNWATCH").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl(TRANSACTION)
            .group("transactions").since("2.2.0").summary("Forget about all watched keys")
            .complexity("O(1)").handler(this::unwatch);
    }

    private void multi(final ClientSession c, final Args a) {
        if (c.multi().active()) {
            c.reply().error("ERR MULTI calls can not be nested");
            return;
        }
        c.multi().begin();
        c.reply().ok();
    }

    private void discard(final ClientSession c, final Args a) {
        if (!c.multi().active()) {
            c.reply().error("ERR DISCARD without MULTI");
            return;
        }
        discardTransaction(c);
        c.reply().ok();
    }

    /** Ends the transaction and forgets the WATCHes (Redis's discardTransaction). */
    public static void discardTransaction(final ClientSession c) {
        c.multi().reset();
        c.server().watches().unwatchAll(c.multi());
    }

    private void exec(final ClientSession c, final Args a) {
        final MultiState m = c.multi();
        if (!m.active()) {
            c.reply().error("ERR EXEC without MULTI");
            return;
        }
        if (m.dirtyExec()) {
            c.reply().error("EXECABORT Transaction discarded because of previous errors.");
            discardTransaction(c);
            return;
        }
        if (m.dirtyCas() || c.server().watches().anyExpiredSinceWatch(m, c.keyspace())) {
            c.reply().nullArray();
            discardTransaction(c);
            return;
        }
        final List<MultiState.Queued> queue = List.copyOf(m.queued());
        // unwatch before running: our own writes must not dirty our own (finished) transaction
        c.server().watches().unwatchAll(m);
        m.reset();
        c.reply().array(queue.size());
        c.server().propagator().enterExec();
        m.executing(true);
        try {
            for (final MultiState.Queued q : queue) {
                // the rules may have changed since the command was queued: Redis checks again
                final String denied = c.server().acl().execDenial(c, q.spec(), q.args());
                if (denied != null) {
                    c.reply().error(denied);
                    continue;
                }
                c.server().dispatcher().call(c, q.spec(), q.args());
            }
        } finally {
            m.executing(false);
            c.server().propagator().exitExec();
        }
        // the writes were propagated inside MULTI/EXEC: EXEC itself must not be propagated again
        c.preventPropagation();
    }

    private void watch(final ClientSession c, final Args a) {
        if (c.multi().active()) {
            c.reply().error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        for (int i = 1; i < a.count(); i++) {
            c.server().watches().watch(c.multi(), c.db(), a.copy(i));
        }
        c.reply().ok();
    }

    private void unwatch(final ClientSession c, final Args a) {
        c.server().watches().unwatchAll(c.multi());
        c.reply().ok();
    }
}
