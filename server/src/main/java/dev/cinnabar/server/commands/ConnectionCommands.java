package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.CommandFlag.ALLOW_BUSY;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.NO_AUTH;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.server.Version;
import dev.cinnabar.server.acl.Acl;
import dev.cinnabar.server.multi.TransactionCommands;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.commands.KeyCommands;

/**
 * Connection commands: PING, ECHO, QUIT, SELECT, RESET, HELLO, AUTH. Authentication goes to the
 * ACL users ({@link Acl}); requirepass is the default user's password.
 */
public final class ConnectionCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        t.command("PING").arity(-1).flags(FAST, SENTINEL).acl(CONNECTION).group("connection")
            .summary("Ping the server").complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::ping);
        t.command("ECHO").arity(2).flags(LOADING, STALE, FAST).acl(CONNECTION).group("connection")
            .summary("Echo the given string").complexity("O(1)").handler(this::echo);
        t.command("QUIT").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SENTINEL)
            .acl(CONNECTION).group("connection").summary("Close the connection").complexity("O(1)")
            .handler(this::quit);
        t.command("SELECT").arity(2).flags(LOADING, STALE, FAST).acl(CONNECTION).group("connection")
            .summary("Change the selected database for the current connection").complexity("O(1)")
            .handler(this::select);
        t.command("RESET").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SENTINEL)
            .acl(CONNECTION).group("connection").since("6.2.0").summary("Reset the connection")
            .complexity("O(1)").handler(this::reset);
        t.command("HELLO").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SENTINEL)
            .acl(CONNECTION).group("connection").since("6.0.0").summary("Handshake with Redis")
            .complexity("O(1)").handler(this::hello);
        t.command("AUTH").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SENTINEL)
            .acl(CONNECTION).group("connection").summary("Authenticate to the server")
            .complexity("O(N) where N is the number of passwords defined for the user").handler(this::auth);
    }

    private static final byte[] PONG_LOWER = Bytes.ascii("pong");
    private static final byte[] EMPTY = new byte[0];

    private void ping(final ClientSession c, final Args a) {
        if (a.count() > 2) {
            c.reply().error(Errors.wrongArity("ping"));
        } else if (c.inSubscribedContext()) {
            // RESP2 subscribers get PING as a message-shaped array, so their reader can parse it
            c.reply().array(2).bulk(PONG_LOWER);
            if (a.count() == 2) {
                c.reply().bulk(a.array(), a.offset(1), a.length(1));
            } else {
                c.reply().bulk(EMPTY);
            }
        } else if (a.count() == 2) {
            c.reply().bulk(a.array(), a.offset(1), a.length(1));
        } else {
            c.reply().simple("PONG");
        }
    }

    private void echo(final ClientSession c, final Args a) {
        c.reply().bulk(a.array(), a.offset(1), a.length(1));
    }

    private void quit(final ClientSession c, final Args a) {
        c.reply().ok();
        c.closeAfterReply();
    }

    private void select(final ClientSession c, final Args a) {
        final int id = KeyCommands.dbIndex(c, a, 1);
        if (id < 0) {
            return;
        }
        c.dbIndex(id);
        c.reply().ok();
    }

    /** Redis's clearClientConnectionState, then "+RESET". */
    private void reset(final ClientSession c, final Args a) {
        TransactionCommands.discardTransaction(c);
        c.server().pubsub().removeClient(c);
        c.server().tracking().disable(c);
        if (c.monitor()) {
            c.monitor(false);
            c.server().monitors().remove(c);
        }
        c.dbIndex(0);
        c.protocol(2);
        c.name("");
        c.replyMode(false, false);
        c.noEvict(false);
        // Redis's clientSetDefaultAuth
        c.user(c.server().acl().defaultUser());
        c.authenticated(c.server().acl().defaultUserNeedsNoAuth());
        c.reply().simple("RESET");
    }

    private void hello(final ClientSession c, final Args a) {
        int ver = 0;
        if (a.count() >= 2) {
            if (!a.isLong(1)) {
                c.reply().error(Errors.PROTOVER_NOT_INT);
                return;
            }
            final long v = a.longValue(1);
            if (v < 2 || v > 3) {
                c.reply().error(Errors.NOPROTO);
                return;
            }
            ver = (int) v;
        }
        String user = null;
        byte[] pass = null;
        String name = null;
        for (int j = 2; j < a.count(); j++) {
            final int more = a.count() - 1 - j;
            if (a.is(j, "AUTH") && more >= 2) {
                c.redact(j + 1);
                c.redact(j + 2);
                user = a.string(j + 1);
                pass = a.copy(j + 2);
                j += 2;
            } else if (a.is(j, "SETNAME") && more >= 1) {
                name = a.string(j + 1);
                if (!ClientCommands.validName(name)) {
                    c.reply().error(Errors.CLIENT_NAME_CHARS);
                    return;
                }
                j++;
            } else {
                c.reply().error(Errors.helloOption(a.string(j)));
                return;
            }
        }
        if (user != null && !c.server().acl().authenticate(c, user, pass, a.string(0))) {
            c.reply().error(Errors.WRONGPASS);
            return;
        }
        if (c.server().acl().authRequired(c)) {
            c.reply().error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                + "RESP protocol version at the same time");
            return;
        }
        if (name != null) {
            c.name(name);
        }
        if (ver != 0) {
            c.protocol(ver);
        }
        c.reply().map(7);
        c.reply().bulk("server").bulk("redis");
        c.reply().bulk("version").bulk(Version.REDIS_VERSION);
        c.reply().bulk("proto").integer(c.protocol());
        c.reply().bulk("id").integer(c.id());
        c.reply().bulk("mode").bulk(c.server().sentinel() != null ? "sentinel" : "standalone");
        c.reply().bulk("role").bulk("master");
        c.reply().bulk("modules").array(0);
    }

    private void auth(final ClientSession c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        for (int i = 1; i < a.count(); i++) {
            c.redact(i);
        }
        final boolean withUser = a.count() == 3;
        if (!withUser && c.server().acl().defaultUser().nopass()) {
            c.reply().error(Errors.AUTH_WITHOUT_PASSWORD);
            return;
        }
        final String user = withUser ? a.string(1) : Acl.DEFAULT_USER;
        if (!c.server().acl().authenticate(c, user, a.copy(a.count() - 1), a.string(0))) {
            c.reply().error(Errors.WRONGPASS);
            return;
        }
        c.reply().ok();
    }
}
