package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.CommandFlag.ADMIN;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.blocking.BlockedReply;
import dev.cinnabar.server.pubsub.ByteKey;
import dev.cinnabar.server.tracking.Tracking;
import dev.cinnabar.server.tracking.TrackingState;
import dev.cinnabar.server.net.ClientInfo;
import dev.cinnabar.server.net.ClientPause;
import dev.cinnabar.server.net.ClientSession;

/** CLIENT and its subcommands: identity, listing, killing, pausing and reply control of connections. */
public final class ClientCommands implements CommandFamily {
    private static final String[] HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder client = t.command("CLIENT").arity(-2).flags(SENTINEL).group("connection").since("2.4.0")
            .summary("A container for client connection commands").complexity("Depends on subcommand.");
        client.subcommand("HELP").arity(2).flags(LOADING, STALE).acl(CONNECTION).since("5.0.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> Help.reply(c, HELP));
        client.subcommand("ID").arity(2).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("5.0.0")
            .summary("Returns the client ID for the current connection").complexity("O(1)")
            .handler((ClientSession c, Args a) -> c.reply().integer(c.id()));
        client.subcommand("SETNAME").arity(3).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("2.6.9")
            .summary("Set the current connection name").complexity("O(1)").handler(this::setname);
        client.subcommand("GETNAME").arity(2).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("2.6.9")
            .summary("Get the current connection name").complexity("O(1)").handler(this::getname);
        client.subcommand("NO-EVICT").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("7.0.0").summary("Set client eviction mode for the current connection").complexity("O(1)")
            .handler(this::noEvict);
        client.subcommand("REPLY").arity(3).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("3.2.0")
            .summary("Instruct the server whether to reply to commands").complexity("O(1)").handler(this::reply);
        client.subcommand("UNPAUSE").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("6.2.0").summary("Resume processing of clients that were paused")
            .complexity("O(N) Where N is the number of paused clients").handler(this::unpause);
        client.subcommand("KILL").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("2.4.0").summary("Kill the connection of a client")
            .complexity("O(N) where N is the number of client connections").handler(this::kill);
        client.subcommand("TRACKING").arity(-3).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("6.0.0")
            .summary("Enable or disable server assisted client side caching support")
            .complexity("O(1). Some options may introduce additional complexity.").handler(this::tracking);
        client.subcommand("CACHING").arity(3).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("6.0.0")
            .summary("Instruct the server about tracking or not keys in the next request")
            .complexity("O(1)").handler(this::caching);
        client.subcommand("GETREDIR").arity(2).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("6.0.0")
            .summary("Get tracking notifications redirection client ID if any").complexity("O(1)")
            .handler((ClientSession c, Args a) -> c.reply().integer(
                c.tracking().enabled() ? c.tracking().redirect() : -1));
        client.subcommand("TRACKINGINFO").arity(2).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("6.2.0")
            .summary("Return information about server assisted client side caching for the current connection")
            .complexity("O(1)").handler(this::trackingInfo);
        client.subcommand("UNBLOCK").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("5.0.0").summary("Unblock a client blocked in a blocking command from a different connection")
            .complexity("O(log N) where N is the number of client connections").handler(this::unblock);
        client.subcommand("INFO").arity(2).flags(NOSCRIPT, LOADING, STALE).acl(CONNECTION).since("6.2.0")
            .summary("Returns information about the current client connection.").complexity("O(1)")
            .tips("nondeterministic_output").handler(this::info);
        client.subcommand("LIST").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("2.4.0").summary("Get the list of client connections")
            .complexity("O(N) where N is the number of client connections").tips("nondeterministic_output")
            .handler(this::list);
        client.subcommand("PAUSE").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl(CONNECTION)
            .since("2.9.50").summary("Stop processing commands from clients for some time")
            .complexity("O(1)").handler(this::pause);
    }

    /** Redis's validateClientName: printable ASCII without spaces. */
    static boolean validName(final String name) {
        for (int i = 0; i < name.length(); i++) {
            final char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private void setname(final ClientSession c, final Args a) {
        final String name = a.string(2);
        if (!validName(name)) {
            c.reply().error(Errors.CLIENT_NAME_CHARS);
            return;
        }
        c.name(name);
        c.reply().ok();
    }

    private void getname(final ClientSession c, final Args a) {
        if (c.name().isEmpty()) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(c.name());
        }
    }

    private void noEvict(final ClientSession c, final Args a) {
        if (a.is(2, "ON") || a.is(2, "OFF")) {
            c.noEvict(a.is(2, "ON"));
            c.reply().ok();
        } else {
            c.reply().error(Errors.SYNTAX);
        }
    }

    private void reply(final ClientSession c, final Args a) {
        if (a.is(2, "ON")) {
            c.replyMode(false, false);
            c.reply().ok();
        } else if (a.is(2, "OFF")) {
            c.replyMode(true, false);
        } else if (a.is(2, "SKIP")) {
            if (!c.replyOff()) {
                c.replyMode(false, true);
            }
        } else {
            c.reply().error(Errors.SYNTAX);
        }
    }

    private void pause(final ClientSession c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.PAUSE_TIMEOUT_NOT_INT);
            return;
        }
        final long timeout = a.longValue(2);
        if (timeout < 0) {
            c.reply().error(Errors.TIMEOUT_NEGATIVE);
            return;
        }
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (a.count() == 4) {
            if (a.is(3, "WRITE")) {
                mode = ClientPause.Mode.WRITE;
            } else if (!a.is(3, "ALL")) {
                c.reply().error(Errors.PAUSE_MODE);
                return;
            }
        } else if (a.count() > 4) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final Server server = c.server();
        final long end = server.clock() + timeout;
        server.pause().pause(mode, end);
        if (c.channel() != null) {
            c.channel().eventLoop().schedule(() -> {
                server.refreshClock();
                server.pause().expire(server.clock());
            }, Math.max(0, server.pause().endMs() - server.clock()), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        c.reply().ok();
    }

    private void unpause(final ClientSession c, final Args a) {
        c.server().pause().unpause();
        c.reply().ok();
    }

    private void info(final ClientSession c, final Args a) {
        c.reply().verbatim("txt", ClientInfo.line(c.server(), c) + "\n");
    }

    private void list(final ClientSession c, final Args a) {
        String type = null;
        List<Long> ids = null;
        if (a.count() == 4 && a.is(2, "TYPE")) {
            type = canonicalType(a.string(3));
            if (type == null) {
                c.reply().error(Errors.unknownClientType(a.string(3)));
                return;
            }
        } else if (a.count() > 3 && a.is(2, "ID")) {
            ids = new ArrayList<>();
            for (int i = 3; i < a.count(); i++) {
                if (!a.isLong(i) || a.longValue(i) <= 0) {
                    c.reply().error(Errors.INVALID_CLIENT_ID);
                    return;
                }
                ids.add(a.longValue(i));
            }
        } else if (a.count() != 2) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final StringBuilder sb = new StringBuilder();
        for (final ClientSession other : c.server().clients()) {
            if ((type == null || type.equals(ClientInfo.type(other))) && (ids == null || ids.contains(other.id()))) {
                sb.append(ClientInfo.line(c.server(), other)).append('\n');
            }
        }
        c.reply().verbatim("txt", sb.toString());
    }

    /** normal | pubsub | replica (slave) | master; null if unknown. */
    private static String canonicalType(final String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "normal" -> "normal";
            case "pubsub" -> "pubsub";
            case "replica", "slave" -> "replica";
            case "master" -> "master";
            default -> null;
        };
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP], Redis's checks in order. */
    private void tracking(final ClientSession c, final Args a) {
        final boolean on;
        if (a.is(2, "ON")) {
            on = true;
        } else if (a.is(2, "OFF")) {
            on = false;
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        final List<ByteKey> prefixes = new ArrayList<>();
        for (int j = 3; j < a.count(); j++) {
            final boolean more = j + 1 < a.count();
            if (a.is(j, "REDIRECT") && more) {
                j++;
                if (redirect != 0) {
                    c.reply().error("ERR A client can only redirect to a single other client");
                    return;
                }
                if (!a.isLong(j)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                redirect = a.longValue(j);
                if (c.server().clientById(redirect) == null) {
                    c.reply().error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            } else if (a.is(j, "BCAST")) {
                bcast = true;
            } else if (a.is(j, "OPTIN")) {
                optin = true;
            } else if (a.is(j, "OPTOUT")) {
                optout = true;
            } else if (a.is(j, "NOLOOP")) {
                noloop = true;
            } else if (a.is(j, "PREFIX") && more) {
                j++;
                prefixes.add(new ByteKey(a.copy(j)));
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        final TrackingState t = c.tracking();
        if (!on) {
            c.server().tracking().disable(c);
            c.reply().ok();
            return;
        }
        final String error;
        if (!bcast && !prefixes.isEmpty()) {
            error = "ERR PREFIX option requires BCAST mode to be enabled";
        } else if (t.enabled() && t.bcast() != bcast) {
            error = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
                + "re-enabling it with a different mode.";
        } else if (bcast && (optin || optout)) {
            error = "ERR OPTIN and OPTOUT are not compatible with BCAST";
        } else if (optin && optout) {
            error = "ERR You can't specify both OPTIN mode and OPTOUT mode";
        } else if ((optin && t.optout()) || (optout && t.optin())) {
            error = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
                + "re-enabling it with a different mode.";
        } else {
            error = bcast ? Tracking.prefixCollision(t, prefixes) : null;
        }
        if (error != null) {
            c.reply().error(error);
            return;
        }
        c.server().tracking().enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        c.reply().ok();
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked (OPTIN / OPTOUT). */
    private void caching(final ClientSession c, final Args a) {
        final TrackingState t = c.tracking();
        if (!t.enabled()) {
            c.reply().error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
                + "OPTOUT mode enabled");
        } else if (a.is(2, "YES")) {
            if (t.optin()) {
                t.caching(true);
                c.reply().ok();
            } else {
                c.reply().error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (a.is(2, "NO")) {
            if (t.optout()) {
                t.caching(true);
                c.reply().ok();
            } else {
                c.reply().error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            c.reply().error(Errors.SYNTAX);
        }
    }

    /** CLIENT TRACKINGINFO: flags, redirect and prefixes as Redis reports them. */
    private void trackingInfo(final ClientSession c, final Args a) {
        final TrackingState t = c.tracking();
        final List<String> flags = new ArrayList<>();
        if (!t.enabled()) {
            flags.add("off");
        } else {
            flags.add("on");
            if (t.bcast()) {
                flags.add("bcast");
            }
            if (t.optin()) {
                flags.add("optin");
                if (t.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (t.optout()) {
                flags.add("optout");
                if (t.caching()) {
                    flags.add("caching-no");
                }
            }
            if (t.noloop()) {
                flags.add("noloop");
            }
            if (t.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        final RespWriter w = c.reply();
        w.map(3);
        w.bulk("flags");
        w.set(flags.size());
        flags.forEach(w::bulk);
        w.bulk("redirect");
        w.integer(t.enabled() ? t.redirect() : -1);
        w.bulk("prefixes");
        w.array(t.prefixes().size());
        for (final ByteKey p : t.prefixes()) {
            w.bulk(p.bytes());
        }
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when a client blocked on keys was released. */
    private void unblock(final ClientSession c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        BlockedReply how = BlockedReply.TIMEOUT;
        if (a.count() == 4) {
            if (a.is(3, "ERROR")) {
                how = BlockedReply.ERROR;
            } else if (!a.is(3, "TIMEOUT")) {
                c.reply().error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        } else if (a.count() > 4) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final long id = a.longValue(2);
        for (final ClientSession other : c.server().clients()) {
            if (other.id() == id) {
                c.reply().integer(other.unblock(how) ? 1 : 0);
                return;
            }
        }
        c.reply().integer(0);
    }

    /** CLIENT KILL, old form (one address, +OK) and filter form (count of killed clients). */
    private void kill(final ClientSession c, final Args a) {
        if (a.count() == 3) {
            final String addr = a.string(2);
            for (final ClientSession other : new ArrayList<>(c.server().clients())) {
                if (other.addr().equals(addr)) {
                    killOne(c, other);
                    c.reply().ok();
                    return;
                }
            }
            c.reply().error(Errors.NO_SUCH_CLIENT);
            return;
        }
        if (a.count() % 2 != 0) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        long id = 0;
        String type = null;
        String addr = null;
        String laddr = null;
        String user = null;
        boolean skipMe = true;
        for (int i = 2; i < a.count(); i += 2) {
            if (a.is(i, "ID")) {
                if (!a.isLong(i + 1) || a.longValue(i + 1) <= 0) {
                    c.reply().error(Errors.CLIENT_ID_POSITIVE);
                    return;
                }
                id = a.longValue(i + 1);
            } else if (a.is(i, "TYPE")) {
                type = canonicalType(a.string(i + 1));
                if (type == null) {
                    c.reply().error(Errors.unknownClientType(a.string(i + 1)));
                    return;
                }
            } else if (a.is(i, "ADDR")) {
                addr = a.string(i + 1);
            } else if (a.is(i, "LADDR")) {
                laddr = a.string(i + 1);
            } else if (a.is(i, "USER")) {
                user = a.string(i + 1);
                if (c.server().acl().user(user) == null) {
                    c.reply().error("ERR No such user '" + user + "'");
                    return;
                }
            } else if (a.is(i, "SKIPME")) {
                if (a.is(i + 1, "YES") || a.is(i + 1, "NO")) {
                    skipMe = a.is(i + 1, "YES");
                } else {
                    c.reply().error(Errors.SYNTAX);
                    return;
                }
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        long killed = 0;
        for (final ClientSession other : new ArrayList<>(c.server().clients())) {
            if ((id != 0 && other.id() != id) || (type != null && !type.equals(ClientInfo.type(other)))
                || (addr != null && !other.addr().equals(addr)) || (laddr != null && !other.laddr().equals(laddr))
                || (user != null && (other.user() == null || !other.user().name().equals(user)))
                || (skipMe && other == c)) {
                continue;
            }
            killOne(c, other);
            killed++;
        }
        c.reply().integer(killed);
    }

    /** The caller itself is closed after this reply; any other client at once. */
    private static void killOne(final ClientSession caller, final ClientSession victim) {
        if (victim == caller) {
            caller.closeAfterReply();
        } else {
            victim.closeNow();
        }
    }
}
