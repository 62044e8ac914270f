package dev.cinnabar.server.replication;

import static dev.cinnabar.protocol.command.AclCategory.ADMIN;
import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.CommandFlag.ALLOW_BUSY;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.NO_ASYNC_LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NO_MULTI;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.util.Locale;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.replication.failover.FailoverState;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.net.ClientInfo;
import dev.cinnabar.server.net.ClientSession;

/**
 * The replication commands: REPLICAOF/SLAVEOF, SYNC, PSYNC, REPLCONF, WAIT, FAILOVER and ROLE, with Redis
 * 7.0's flags, replies and error texts. The state they act on is the server's
 * {@link ServerReplication}.
 *
 * <p>Redis: replication.c replicaofCommand(), syncCommand(), replconfCommand(), waitCommand(),
 * failoverCommand(), roleCommand().
 */
public final class ReplicationCommands implements CommandFamily {
    /** NET_HOST_STR_LEN: the longest REPLCONF ip-address Redis keeps. */
    private static final int MAX_IP_LENGTH = 256;

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("REPLICAOF").arity(3).flags(CommandFlag.ADMIN, NOSCRIPT, STALE, NO_ASYNC_LOADING).group("server")
            .since("5.0.0").summary("Make the server a replica of another instance, or promote it as master.")
            .complexity("O(1)").handler(this::replicaof);
        t.command("SLAVEOF").arity(3).flags(CommandFlag.ADMIN, NOSCRIPT, STALE, NO_ASYNC_LOADING).group("server")
            .summary("Make the server a replica of another instance, or promote it as master.")
            .complexity("O(1)").handler(this::replicaof);
        t.command("PSYNC").arity(-3).flags(CommandFlag.ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).group("server")
            .since("2.8.0").summary("Internal command used for replication").handler(this::psync);
        t.command("SYNC").arity(1).flags(CommandFlag.ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).group("server")
            .summary("Internal command used for replication").handler(this::sync);
        t.command("REPLCONF").arity(-1).flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE, ALLOW_BUSY).group("server")
            .since("3.0.0").summary("An internal command for configuring the replication stream")
            .complexity("O(1)").handler(this::replconf);
        t.command("WAIT").arity(3).flags(NOSCRIPT).acl(CONNECTION).group("generic").since("3.0.0")
            .summary("Wait for the synchronous replication of all the write commands sent in the context of the "
                + "current connection").complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:agg_min").handler(this::waitCmd);
        t.command("FAILOVER").arity(-1).flags(CommandFlag.ADMIN, NOSCRIPT, STALE).group("server").since("6.2.0")
            .summary("Start a coordinated failover between this server and one of its replicas.")
            .complexity("O(1)").handler(this::failover);
        t.command("ROLE").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST).acl(ADMIN, DANGEROUS).group("server")
            .since("2.8.12").summary("Return the role of the instance in the context of replication")
            .complexity("O(1)").handler(this::role);
    }

    private static ServerReplication repl(final ClientSession c) {
        return c.server().replication();
    }

    private void replicaof(final ClientSession c, final Args a) {
        final ServerReplication r = repl(c);
        if (r.state().failover().state() != FailoverState.NO_FAILOVER) {
            c.reply().error("ERR REPLICAOF not allowed while failing over.");
            return;
        }
        if (a.is(1, "NO") && a.is(2, "ONE")) {
            if (r.state().isReplica()) {
                r.promote();
                ServerLog.notice("MASTER MODE enabled (user request from '" + ClientInfo.line(c.server(), c) + "')");
            } else {
                r.fence().roleChanged(); // "you are the master": lifts a start fence (a Cinnabar sentinel's confirmation)
            }
            c.reply().ok();
            return;
        }
        if (r.replicaSession(c) != null) {
            c.reply().error("ERR Command is not valid when client is a replica.");
            return;
        }
        if (!a.isLong(2) || a.longValue(2) < 0 || a.longValue(2) > 65535) {
            c.reply().error("ERR Invalid master port");
            return;
        }
        if (!r.replicaOf(a.string(1), (int) a.longValue(2))) {
            c.reply().simple("OK Already connected to specified master");
            return;
        }
        ServerLog.notice("REPLICAOF " + a.string(1) + ":" + a.longValue(2) + " enabled (user request from '"
            + ClientInfo.line(c.server(), c) + "')");
        c.reply().ok();
    }

    private void psync(final ClientSession c, final Args a) {
        final ServerReplication r = repl(c);
        if (r.replicaSession(c) != null) {
            return;
        }
        if (a.count() > 3 && a.is(3, "FAILOVER")) {
            // our master hands over to us: promoted first, then this PSYNC continues as any other
            final String error = r.state().failoverRequest(a.string(1), c.server().clock());
            if (error != null) {
                c.reply().error(error);
                return;
            }
            ServerLog.notice("MASTER MODE enabled (failover request from '" + ClientInfo.line(c.server(), c) + "')");
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        startSync(c, a.string(1), a.longValue(2));
    }

    private void sync(final ClientSession c, final Args a) {
        startSync(c, null, 0);
    }

    private static void startSync(final ClientSession c, final String replid, final long offset) {
        final ServerReplication r = repl(c);
        if (r.replicaSession(c) != null) {
            return;
        }
        if (c.pendingOutput() > 0) {
            c.reply().error("ERR SYNC and PSYNC are invalid with pending output");
            return;
        }
        final String error = r.sync(c, replid, offset);
        if (error != null) {
            c.reply().error(error);
        }
    }

    private void replconf(final ClientSession c, final Args a) {
        if (a.count() % 2 == 0) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final ServerReplication r = repl(c);
        for (int i = 1; i < a.count(); i += 2) {
            final String option = a.string(i).toLowerCase(Locale.ROOT);
            switch (option) {
                case "listening-port" -> {
                    if (!a.isLong(i + 1)) {
                        c.reply().error(Errors.NOT_INTEGER);
                        return;
                    }
                    r.handshake(c).listeningPort = (int) a.longValue(i + 1);
                }
                case "ip-address" -> {
                    if (a.length(i + 1) >= MAX_IP_LENGTH) {
                        c.reply().error("ERR REPLCONF ip-address provided by replica instance is too long: "
                            + a.length(i + 1) + " bytes");
                        return;
                    }
                    r.handshake(c).ip = a.string(i + 1);
                }
                case "capa" -> {
                    if (a.is(i + 1, "EOF")) {
                        r.handshake(c).capaEof = true;
                    } else if (a.is(i + 1, "PSYNC2")) {
                        r.handshake(c).capaPsync2 = true;
                    }
                }
                case "rdb-only" -> {
                    if (!a.isLong(i + 1)) {
                        c.reply().error(Errors.NOT_INTEGER);
                        return;
                    }
                    final long v = a.longValue(i + 1);
                    if (v < 0 || v > 1) {
                        c.reply().error("ERR value is out of range, value must between 0 and 1");
                        return;
                    }
                    r.handshake(c).rdbOnly = v == 1;
                }
                case "ack" -> {
                    // no reply, ever: the connection carries the replication stream the other way
                    final ReplicaSession s = r.replicaSession(c);
                    if (s != null && a.isLong(i + 1)) {
                        r.ack(s, a.longValue(i + 1));
                    }
                    return;
                }
                case "getack" -> {
                    if (r.isMasterClient(c)) {
                        r.getack();
                    }
                    return;
                }
                default -> {
                    c.reply().error("ERR Unrecognized REPLCONF option: " + a.string(i));
                    return;
                }
            }
        }
        c.reply().ok();
    }

    private void waitCmd(final ClientSession c, final Args a) {
        final ServerReplication r = repl(c);
        final WaitingClients waiting = r.waiting();
        final WaitingClients.Waiter current = waiting.current(c);
        if (current != null) {
            final int acks = r.state().countAcks(current.offset());
            if (acks >= current.numReplicas() || c.server().clock() >= current.deadlineMs()) {
                waiting.forget(c);
                c.reply().integer(acks);
            } else {
                waiting.stay(c);
            }
            return;
        }
        if (r.state().isReplica()) {
            c.reply().error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
                + "if a replica is configured to be writable (which is not the default) writes to replicas are just "
                + "local and are not propagated.");
            return;
        }
        if (!a.isLong(1)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error("ERR timeout is not an integer or out of range");
            return;
        }
        final long timeoutMs = a.longValue(2);
        if (timeoutMs < 0) {
            c.reply().error(Errors.TIMEOUT_NEGATIVE);
            return;
        }
        final long numReplicas = a.longValue(1);
        final long offset = r.writeOffset(c);
        final int acks = r.state().countAcks(offset);
        if (acks >= numReplicas || c.multi().executing() || !waiting.block(c, offset, numReplicas, timeoutMs)) {
            c.reply().integer(acks);
        }
    }

    /** FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | FAILOVER ABORT, parsed as Redis does. */
    private void failover(final ClientSession c, final Args a) {
        final ServerReplication r = repl(c);
        if (a.count() == 2 && a.is(1, "ABORT")) {
            final String error = r.state().failover().abortByUser();
            if (error != null) {
                c.reply().error(error);
            } else {
                c.reply().ok();
            }
            return;
        }
        long timeoutMs = 0;
        boolean force = false;
        long port = 0;
        String host = null;
        for (int j = 1; j < a.count(); j++) {
            if (a.is(j, "TIMEOUT") && j + 1 < a.count() && timeoutMs == 0) {
                if (!a.isLong(j + 1)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                timeoutMs = a.longValue(j + 1);
                if (timeoutMs <= 0) {
                    c.reply().error("ERR FAILOVER timeout must be greater than 0");
                    return;
                }
                j++;
            } else if (a.is(j, "TO") && j + 2 < a.count() && host == null) {
                if (!a.isLong(j + 2)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                port = a.longValue(j + 2);
                host = a.string(j + 1);
                j += 2;
            } else if (a.is(j, "FORCE") && !force) {
                force = true;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        final String error = r.failover(host, port, timeoutMs, force);
        if (error != null) {
            c.reply().error(error);
        } else {
            c.reply().ok();
        }
    }

    private void role(final ClientSession c, final Args a) {
        ReplicationInfo.role(repl(c), c.reply());
    }
}
