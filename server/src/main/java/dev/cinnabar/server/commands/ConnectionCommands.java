package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NO_AUTH;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.net.ClientSession;

/** Connection commands: PING, ECHO, QUIT, SELECT (the rest of the family lands with the foundation issue). */
public final class ConnectionCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        t.command("PING").arity(-1).flags(FAST, SENTINEL).acl(CONNECTION).group("connection")
            .summary("Ping the server").complexity("O(1)").handler(this::ping);
        t.command("ECHO").arity(2).flags(FAST).acl(CONNECTION).group("connection")
            .summary("Echo the given string").complexity("O(1)").handler(this::echo);
        t.command("QUIT").arity(-1).flags(NO_AUTH, LOADING, STALE, FAST, SENTINEL).acl(CONNECTION)
            .group("connection").summary("Close the connection").complexity("O(1)").handler(this::quit);
        t.command("SELECT").arity(2).flags(LOADING, STALE, FAST).acl(CONNECTION).group("connection")
            .summary("Change the selected database for the current connection").complexity("O(1)")
            .handler(this::select);
    }

    private void ping(final ClientSession c, final Args a) {
        if (a.count() > 2) {
            c.reply().error(Errors.wrongArity("ping"));
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
        if (!a.isLong(1)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long id = a.longValue(1);
        if (id < 0 || id >= c.keyspace().databases()) {
            c.reply().error(Errors.DB_INDEX);
            return;
        }
        c.dbIndex((int) id);
        c.reply().ok();
    }
}
