package dev.cinnabar.server.replication;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.replication.replica.MasterStream;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.multi.TransactionCommands;
import dev.cinnabar.server.net.ClientSession;
import io.netty.buffer.ByteBuf;

/**
 * Runs the master's command stream on this replica, as Redis's master client: a session without a
 * socket, always authenticated, exempt from READONLY and stale checks, whose replies are dropped
 * (the master never reads them; REPLCONF GETACK answers through the link itself).
 *
 * <p>Why commands go through the dispatcher: MULTI/EXEC blocks from the master must queue and
 * run atomically, WATCH and tracking must see the changes, and keyspace notifications must fire,
 * exactly as for a client's command. A command a client pause would hold is deferred instead (the
 * session has no socket to stop reading from) and retried by the link's tick.
 */
final class MasterClient implements MasterStream.Applier {
    private final Server server;
    private ClientSession session;
    private boolean deferring;

    MasterClient(final Server server) {
        this.server = server;
        reset();
    }

    ClientSession session() {
        return session;
    }

    /** A fresh session after a full sync: database 0, no transaction (Redis's replicationCreateMasterClient). */
    void reset() {
        if (session != null) {
            TransactionCommands.discardTransaction(session);
        }
        session = new ClientSession(server, server.newClientId());
        session.authenticated(true);
        session.user(null);
        session.name("");
    }

    void select(final int db) {
        session.dbIndex(db);
    }

    /** The link was lost: a transaction the master opened never completes (Redis discards it too). */
    void discardTransaction() {
        if (session.multi().active()) {
            TransactionCommands.discardTransaction(session);
        }
    }

    @Override
    public MasterStream.Applied apply(final Args command) {
        final CommandSpec spec = server.commandTable().lookup(command.array(), command.offset(0), command.length(0));
        if (spec != null && server.pause().blocks(spec, server.clock())) {
            if (!deferring) {
                // said once: a replica left paused acknowledges nothing new, which its master's held replies feel
                deferring = true;
                ServerLog.notice("The master's stream waits for the client pause to end ('"
                    + command.string(0).toLowerCase(Locale.ROOT) + "' is held)");
            }
            return MasterStream.Applied.DEFERRED;
        }
        if (deferring) {
            deferring = false;
            ServerLog.notice("Client pause over: applying the master's stream again");
        }
        session.interacted();
        server.dispatcher().execute(session, command);
        final ByteBuf out = session.outBuffer();
        if (out.isReadable() && out.getByte(out.readerIndex()) == '-') {
            // Redis 7.0's afterErrorReply for the master client: the datasets may now differ, say so
            final int eol = out.indexOf(out.readerIndex(), out.writerIndex(), (byte) '\r');
            ServerLog.warning("== CRITICAL == This replica is sending an error to its master: '"
                + out.toString(out.readerIndex() + 1, Math.max(0, eol - out.readerIndex() - 1), StandardCharsets.UTF_8)
                + "' after processing the command '" + command.string(0).toLowerCase(Locale.ROOT) + "'");
        }
        out.clear();
        return session.multi().active() ? MasterStream.Applied.IN_TRANSACTION : MasterStream.Applied.DONE;
    }
}
