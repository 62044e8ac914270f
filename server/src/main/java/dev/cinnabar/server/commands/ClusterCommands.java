package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.net.ClientSession;

/**
 * READONLY, READWRITE and ASKING: cluster clients send them, and a server without cluster mode
 * (Cinnabar has none) refuses them with Redis's own error, so such a client learns it at once.
 */
public final class ClusterCommands implements CommandFamily {
    private static final String DISABLED = "ERR This instance has cluster support disabled";

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("READONLY").arity(1).flags(LOADING, STALE, FAST).acl(CONNECTION).group("cluster").since("3.0.0")
            .summary("Enables read queries for a connection to a cluster replica node").complexity("O(1)")
            .handler(ClusterCommands::disabled);
        t.command("READWRITE").arity(1).flags(LOADING, STALE, FAST).acl(CONNECTION).group("cluster").since("3.0.0")
            .summary("Disables read queries for a connection to a cluster replica node").complexity("O(1)")
            .handler(ClusterCommands::disabled);
        t.command("ASKING").arity(1).flags(FAST).acl(CONNECTION).group("cluster").since("3.0.0")
            .summary("Sent by cluster clients after an -ASK redirect").complexity("O(1)")
            .handler(ClusterCommands::disabled);
    }

    private static void disabled(final ClientSession c, final Args a) {
        c.reply().error(DISABLED);
    }
}
