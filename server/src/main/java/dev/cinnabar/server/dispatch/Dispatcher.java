package dev.cinnabar.server.dispatch;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.acl.Acl;
import dev.cinnabar.server.acl.AclUser;
import dev.cinnabar.server.multi.MultiState;
import dev.cinnabar.server.multi.TransactionCommands;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.persistence.Persistence;
import dev.cinnabar.server.replication.ServerReplication;
import dev.cinnabar.storage.commands.StorageSettings;
import io.netty.buffer.ByteBuf;

/**
 * Redis's processCommand() and call(): every check reads the command's spec, in Redis's order, so
 * that when two checks fail the client sees the same error Redis would send.
 *
 * <p>Order: lookup → subcommand → arity → authentication → no-multi → ACL
 * → OOM (maxmemory: evict first) → min-replicas → READONLY on replicas → RESP2 pub/sub context
 * → stale replica → loading → client pause → MULTI queueing → call → serve clients blocked on
 * keys the command made ready.
 *
 * <p>Every rejection flags an open transaction, so its EXEC aborts (Redis's flagTransaction); a
 * rejected EXEC itself answers EXECABORT and discards the transaction.
 */
public final class Dispatcher {
    private final Server server;
    private final CommandTable table;
    private final CommandStats stats;
    /** Read once per command: maxmemory 0 must cost no more than that. */
    private final StorageSettings storage;

    public Dispatcher(final Server server, final CommandTable table, final CommandStats stats) {
        this.server = server;
        this.table = table;
        this.stats = stats;
        this.storage = server.config().storage;
    }

    public CommandTable table() {
        return table;
    }

    public void execute(final ClientSession c, final Args args) {
        CommandSpec spec = table.lookup(args.array(), args.offset(0), args.length(0));
        if (spec == null) {
            final String[] rest = new String[args.count() - 1];
            for (int i = 1; i < args.count(); i++) {
                rest[i - 1] = args.printable(i);
            }
            reject(c, null, Errors.unknownCommand(args.printable(0), rest));
            return;
        }
        // a container with its own handler (COMMAND) runs it when called without a subcommand
        if (spec.isContainer() && !(args.count() == 1 && spec.handler() != null)) {
            if (args.count() == 1) {
                reject(c, spec, Errors.wrongArity(spec.name()));
                return;
            }
            final CommandSpec sub = spec.subcommand(args);
            if (sub == null) {
                reject(c, spec, Errors.unknownSubcommand(args.printable(1), spec.name().toUpperCase(java.util.Locale.ROOT)));
                return;
            }
            spec = sub;
        }
        if (!spec.arityOk(args.count())) {
            reject(c, spec, Errors.wrongArity(spec.name()));
            return;
        }
        if (spec.has(CommandFlag.PROTECTED) && !protectedAllowed(c, server.config().enableDebugCommand)) {
            reject(c, spec, Errors.commandNotAllowed("DEBUG", "enable-debug-command"));
            return;
        }
        if (!c.authenticated() && !spec.has(CommandFlag.NO_AUTH) && server.acl().authRequired(c)) {
            reject(c, spec, Errors.NOAUTH);
            return;
        }
        final MultiState multi = c.multi();
        if (multi.active() && spec.has(CommandFlag.NO_MULTI)) {
            reject(c, spec, "ERR Command not allowed inside a transaction");
            return;
        }
        // ACL after no-multi, as processCommand orders them; an unrestricted user costs one field read
        final AclUser user = c.user();
        if (user != null && !user.unrestricted()) {
            final int denied = server.acl().check(user, spec, args);
            if (denied != 0) {
                c.lastCommand(spec.name());
                server.acl().logDenied(c, denied, spec, args, multi.active());
                reject(c, spec, Acl.noPermError(denied, spec));
                return;
            }
        }
        final Persistence.LoadState load = server.loadState();
        final boolean loading = load == Persistence.LoadState.LOADING;
        // nothing is evicted while the start-up load fills the keyspace from another thread
        if (storage.maxmemory != 0 && !loading && server.memory().refuses(c, spec)) {
            reject(c, spec, Errors.OOM);
            return;
        }
        // MISCONF after OOM and before NOREPLICAS, where Redis checks writeCommandsDeniedByDiskError
        final String diskRefusal = server.persistence() == null ? null : server.persistence().writeRefusal(c, spec);
        if (diskRefusal != null) {
            reject(c, spec, diskRefusal);
            return;
        }
        // NOREPLICAS then READONLY, after the ACL/OOM checks and before the pub/sub context, as Redis orders them
        final ServerReplication repl = server.replication();
        if (repl != null) {
            repl.observe(c, spec, args);
        }
        final String writeRefusal = repl == null ? null : repl.writeRefusal(c, spec);
        if (writeRefusal != null) {
            reject(c, spec, writeRefusal);
            return;
        }
        if (c.inSubscribedContext() && !allowedWhenSubscribed(spec)) {
            reject(c, spec, "ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / "
                + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        final String staleRefusal = repl == null ? null : repl.staleRefusal(c, spec);
        if (staleRefusal != null) {
            reject(c, spec, staleRefusal);
            return;
        }
        if (loading && !spec.has(CommandFlag.LOADING)) {
            reject(c, spec, Errors.LOADING);
            return;
        }
        if (load == Persistence.LoadState.ASYNC && deniedWhileAsyncLoading(c, spec)) {
            reject(c, spec, Errors.LOADING);
            return;
        }
        // Redis checks the pause just before call(): a paused command waits, it is not refused
        if (server.pause().blocks(spec, server.clock())) {
            c.postpone();
            return;
        }
        if (multi.active() && !controlsTransaction(spec)) {
            multi.queue(spec, args);
            c.reply().simple("QUEUED");
            return;
        }
        call(c, spec, args);
        server.blocking().serveReadyKeys();
    }

    private static boolean allowedWhenSubscribed(final CommandSpec spec) {
        final String n = spec.name();
        return n.equals("ping") || n.equals("quit") || n.equals("reset") || n.equals("subscribe")
            || n.equals("unsubscribe") || n.equals("psubscribe") || n.equals("punsubscribe")
            || n.equals("ssubscribe") || n.equals("sunsubscribe");
    }

    /** The commands that run at once inside MULTI instead of being queued. */
    /** Redis's is_deny_async_loading_command: the flag, or an EXEC queuing a command with it. */
    private static boolean deniedWhileAsyncLoading(final ClientSession c, final CommandSpec spec) {
        if (spec.has(CommandFlag.NO_ASYNC_LOADING)) {
            return true;
        }
        if (!"exec".equals(spec.name())) {
            return false;
        }
        for (final MultiState.Queued q : c.multi().queued()) {
            if (q.spec().has(CommandFlag.NO_ASYNC_LOADING)) {
                return true;
            }
        }
        return false;
    }

    private static boolean controlsTransaction(final CommandSpec spec) {
        final String n = spec.name();
        return n.equals("exec") || n.equals("discard") || n.equals("multi") || n.equals("watch")
            || n.equals("quit") || n.equals("reset");
    }

    /** enable-debug-command: "yes", or "local" for a loopback client. */
    private static boolean protectedAllowed(final ClientSession c, final String setting) {
        return setting.equals("yes") || (setting.equals("local") && c.isLocal());
    }

    private void reject(final ClientSession c, final CommandSpec spec, final String error) {
        stats.rejected(spec == null ? -1 : spec.id());
        countError(error);
        if (spec != null && spec.name().equals("exec")) {
            // Redis's execCommandAbort: the reason without its ERR prefix, other codes kept
            TransactionCommands.discardTransaction(c);
            c.reply().error("EXECABORT Transaction discarded because of: "
                + (error.startsWith("ERR ") ? error.substring(4) : error));
            return;
        }
        c.multi().flagError();
        c.reply().error(error);
    }

    private void countError(final String error) {
        final int sp = error.indexOf(' ');
        stats.errorReply(sp < 0 ? error : error.substring(0, sp));
    }

    /** A default-mode tracking client read keys: remember them; its own invalidations follow its reply. */
    private void afterTrackedCall(final ClientSession c, final CommandSpec spec, final Args args) {
        if (spec.has(CommandFlag.READONLY) && !c.tracking().bcast()) {
            final int[] positions = new int[args.count() * Math.max(1, spec.keySpecs().size())];
            final int n = spec.keyPositions(args, positions, null);
            server.tracking().rememberKeys(c, positions, n, args);
        }
        server.tracking().afterCommand(c);
    }

    /** Executes a command that passed every check: time it, count it, propagate it. */
    public void call(final ClientSession c, final CommandSpec spec, final Args args) {
        final var ks = server.keyspace();
        final long dirtyBefore = ks.dirty;
        final ByteBuf out = c.outBuffer();
        final int outBefore = out.writerIndex();
        c.lastCommand(spec.name());
        c.currentSpec(spec);
        final ClientSession caller = server.currentClient();
        server.currentClient(c);
        final long start = System.nanoTime();
        spec.invoke(c, args);
        final long duration = System.nanoTime() - start;
        if (c.tracking().enabled()) {
            afterTrackedCall(c, spec, args);
        }
        stats.called(spec.id(), duration, server.config().latencyTracking);
        server.slowLog().record(c, spec, args, duration / 1000, server.config().slowlogLogSlowerThan,
            server.config().slowlogMaxLen);
        // an error reply starts with '-': count it as Redis's afterErrorReply does
        final ByteBuf after = c.outBuffer();
        if (after == out && after.writerIndex() > outBefore && after.getByte(outBefore) == '-') {
            stats.failed(spec.id());
            final int end = Math.min(after.writerIndex(), outBefore + 64);
            int sp = outBefore + 1;
            while (sp < end && after.getByte(sp) != ' ' && after.getByte(sp) != '\r') {
                sp++;
            }
            stats.errorReply(after.toString(outBefore + 1, sp - outBefore - 1, java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (!server.monitors().isEmpty() && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            Monitors.feed(server, c, args);
        }
        // SAVE lowers dirty: only a rise means the command changed data (Redis's call() clamps at 0);
        // still as the current client: a write's reply may wait for the replicas (HeldReplies)
        server.propagator().afterCall(c.dbIndex(), args, ks.dirty > dirtyBefore);
        server.currentClient(caller);
    }
}
