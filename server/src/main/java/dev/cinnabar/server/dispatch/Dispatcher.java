package dev.cinnabar.server.dispatch;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;
import io.netty.buffer.ByteBuf;

/**
 * Redis's processCommand() and call(): every check reads the command's spec, in Redis's order, so
 * that when two checks fail the client sees the same error Redis would send.
 *
 * <p>Order: lookup → subcommand → arity → authentication → (later issues add: ACL, OOM,
 * min-replicas, READONLY on replicas, pub/sub context, loading/stale, MULTI queueing) → call.
 */
public final class Dispatcher {
    private final Server server;
    private final CommandTable table;
    private final CommandStats stats;

    public Dispatcher(final Server server, final CommandTable table, final CommandStats stats) {
        this.server = server;
        this.table = table;
        this.stats = stats;
    }

    public CommandTable table() {
        return table;
    }

    public void execute(final ClientSession c, final Args args) {
        CommandSpec spec = table.lookup(args.array(), args.offset(0), args.length(0));
        if (spec == null) {
            final String[] rest = new String[args.count() - 1];
            for (int i = 1; i < args.count(); i++) {
                rest[i - 1] = args.string(i);
            }
            reject(c, null, Errors.unknownCommand(args.string(0), rest));
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
                reject(c, spec, Errors.unknownSubcommand(args.string(1), spec.name().toUpperCase(java.util.Locale.ROOT)));
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
        if (!c.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(c, spec, Errors.NOAUTH);
            return;
        }
        // Redis checks the pause last, just before call(): a paused command waits, it is not refused
        if (server.pause().blocks(spec, server.clock())) {
            c.postpone();
            return;
        }
        call(c, spec, args);
    }

    /** enable-debug-command: "yes", or "local" for a loopback client. */
    private static boolean protectedAllowed(final ClientSession c, final String setting) {
        return setting.equals("yes") || (setting.equals("local") && c.isLocal());
    }

    private void reject(final ClientSession c, final CommandSpec spec, final String error) {
        stats.rejected(spec == null ? -1 : spec.id());
        countError(error);
        c.reply().error(error);
    }

    private void countError(final String error) {
        final int sp = error.indexOf(' ');
        stats.errorReply(sp < 0 ? error : error.substring(0, sp));
    }

    /** Executes a command that passed every check: time it, count it, propagate it. */
    public void call(final ClientSession c, final CommandSpec spec, final Args args) {
        final var ks = server.keyspace();
        final long dirtyBefore = ks.dirty;
        final ByteBuf out = c.outBuffer();
        final int outBefore = out.writerIndex();
        c.lastCommand(spec.name());
        final long start = System.nanoTime();
        spec.invoke(c, args);
        final long duration = System.nanoTime() - start;
        stats.called(spec.id(), duration, server.config().latencyTracking);
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
        server.propagator().afterCall(c.dbIndex(), args, ks.dirty != dirtyBefore);
    }
}
