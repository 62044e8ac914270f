package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.ADMIN;
import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.CommandFlag.ALLOW_BUSY;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.NO_MULTI;
import static dev.cinnabar.protocol.command.CommandFlag.PROTECTED;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.type.Strings;

/** Server commands: INFO, TIME, LASTSAVE, DEBUG, SLOWLOG, SHUTDOWN, MONITOR. */
public final class ServerCommands implements CommandFamily {
    private static final String[] DEBUG_HELP = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "HELP",
        "    Prints this help.",
    };

    private static final String[] SLOWLOG_HELP = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("INFO").arity(-1).flags(LOADING, STALE, SENTINEL).acl(DANGEROUS).group("server")
            .summary("Get information and statistics about the server").complexity("O(1)")
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .handler(this::info);
        t.command("TIME").arity(1).flags(LOADING, STALE, FAST).group("server").since("2.6.0")
            .summary("Return the current server time").complexity("O(1)").tips("nondeterministic_output")
            .handler(this::time);
        t.command("LASTSAVE").arity(1).flags(LOADING, STALE, FAST).acl(ADMIN, DANGEROUS).group("server")
            .summary("Get the UNIX time stamp of the last successful save to disk").complexity("O(1)")
            .tips("nondeterministic_output")
            .handler((ClientSession c, Args a) -> c.reply().integer(c.server().lastSaveSeconds()));
        t.command("DEBUG").arity(-2).flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE, PROTECTED).group("server")
            .summary("A container for debugging commands").complexity("Depends on subcommand.")
            .handler(this::debug);
        t.command("SHUTDOWN").arity(-1).flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY,
                SENTINEL).group("server")
            .summary("Synchronously save the dataset to disk and then shut down the server")
            .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, "
                + "otherwise O(1)")
            .handler(this::shutdown);
        final CommandTable.CommandBuilder slowlog = t.command("SLOWLOG").arity(-2).group("server").since("2.2.12")
            .summary("A container for slow log commands").complexity("Depends on subcommand.");
        // declared in the order Redis 7.0's COMMAND lists them
        slowlog.subcommand("HELP").arity(2).flags(LOADING, STALE).since("6.2.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> Help.reply(c, SLOWLOG_HELP));
        slowlog.subcommand("LEN").arity(2).flags(CommandFlag.ADMIN, LOADING, STALE).since("2.2.12")
            .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
            .summary("Get the slow log's length").complexity("O(1)")
            .handler((ClientSession c, Args a) -> c.reply().integer(c.server().slowLog().length()));
        slowlog.subcommand("RESET").arity(2).flags(CommandFlag.ADMIN, LOADING, STALE).since("2.2.12")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .summary("Clear all entries from the slow log")
            .complexity("O(N) where N is the number of entries in the slowlog")
            .handler((ClientSession c, Args a) -> {
                c.server().slowLog().reset();
                c.reply().ok();
            });
        slowlog.subcommand("GET").arity(-2).flags(CommandFlag.ADMIN, LOADING, STALE).since("2.2.12")
            .tips("request_policy:all_nodes", "nondeterministic_output")
            .summary("Get the slow log's entries").complexity("O(N) where N is the number of entries returned")
            .handler(this::slowlogGet);
        t.command("MONITOR").arity(1).flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE).group("server")
            .summary("Listen for all requests received by the server in real time").handler(this::monitor);
    }

    /** SLOWLOG GET [count]: 10 by default, -1 for all. */
    private void slowlogGet(final ClientSession c, final Args a) {
        long count = 10;
        if (a.count() == 3) {
            if (!a.isLong(2) || a.longValue(2) < -1) {
                c.reply().error("ERR count should be greater than or equal to -1");
                return;
            }
            count = a.longValue(2) == -1 ? Long.MAX_VALUE : a.longValue(2);
        } else if (a.count() > 3) {
            c.reply().error(Errors.subcommandSyntax(a.string(1), "SLOWLOG"));
            return;
        }
        c.server().slowLog().write(c.reply(), count);
    }

    private void info(final ClientSession c, final Args a) {
        final List<String> sections = new ArrayList<>();
        for (int i = 1; i < a.count(); i++) {
            sections.add(a.string(i));
        }
        c.reply().verbatim("txt", c.server().info().generate(sections));
    }

    private void time(final ClientSession c, final Args a) {
        final Instant now = Instant.now();
        c.reply().array(2).bulkLong(now.getEpochSecond()).bulkLong(now.getNano() / 1000);
    }

    private void debug(final ClientSession c, final Args a) {
        if (a.is(1, "HELP") && a.count() == 2) {
            Help.reply(c, DEBUG_HELP);
        } else if (a.is(1, "SLEEP") && a.count() == 3) {
            sleep(c, a);
        } else if (a.is(1, "OBJECT") && a.count() == 3) {
            object(c, a);
        } else if (a.is(1, "POPULATE") && a.count() >= 3 && a.count() <= 5) {
            populate(c, a);
        } else if (a.is(1, "RELOAD") && c.server().persistence() != null) {
            reload(c, a);
        } else if (a.is(1, "SET-ACTIVE-EXPIRE") && a.count() == 3) {
            c.server().config().activeExpireEnabled = !a.equals(2, new byte[] {'0'});
            c.reply().ok();
        } else {
            c.reply().error(Errors.subcommandSyntax(a.string(1), "DEBUG"));
        }
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: prefix:N holding "value:N", cut or padded with zero bytes
     * to size when given; keys that exist are left alone. Not propagated and not counted as changes
     * (Redis leaves server.dirty alone), so a replica or the next save point does not see them.
     */
    private void populate(final ClientSession c, final Args a) {
        final String countError = positiveError(a, 2);
        final String sizeError = a.count() == 5 ? positiveError(a, 4) : null;
        if (countError != null || sizeError != null) {
            c.reply().error(countError != null ? countError : sizeError);
            return;
        }
        final long count = a.longValue(2);
        final long size = a.count() == 5 ? a.longValue(4) : 0;
        final byte[] prefix = a.count() >= 4 ? a.copy(3) : new byte[] {'k', 'e', 'y'};
        final Database db = c.db();
        for (long j = 0; j < count; j++) {
            final byte[] n = Long.toString(j).getBytes(StandardCharsets.US_ASCII);
            final byte[] key = Arrays.copyOf(prefix, prefix.length + 1 + n.length);
            key[prefix.length] = ':';
            System.arraycopy(n, 0, key, prefix.length + 1, n.length);
            if (db.lookupWrite(key) != null) {
                continue;
            }
            final byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            db.add(key, size == 0 ? text : Arrays.copyOf(text, (int) Math.min(size, Integer.MAX_VALUE - 8)));
            db.signalModified(key);
        }
        c.reply().ok();
    }

    /** Redis's getPositiveLongFromObjectOrReply: null when the argument is a long of at least 0. */
    private static String positiveError(final Args a, final int i) {
        return a.isLong(i) && a.longValue(i) >= 0 ? null : Errors.MUST_BE_POSITIVE; // "x" too, as Redis 7.0 says
    }

    /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: blocks the loop while it saves and loads, as in Redis. */
    private void reload(final ClientSession c, final Args a) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < a.count(); i++) {
            if (a.is(i, "MERGE")) {
                merge = true;
            } else if (a.is(i, "NOFLUSH")) {
                flush = false;
            } else if (a.is(i, "NOSAVE")) {
                save = false;
            } else {
                c.reply().error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        final String error = c.server().persistence().debugReload(save, flush, merge);
        if (error == null) {
            c.reply().ok();
        } else {
            c.reply().error(error);
        }
    }

    /** DEBUG SLEEP: blocks the keyspace loop, exactly as Redis blocks its event loop. */
    private void sleep(final ClientSession c, final Args a) {
        final double seconds;
        try {
            seconds = Double.parseDouble(a.string(2));
        } catch (NumberFormatException e) {
            c.reply().ok();
            return;
        }
        final long nanos = (long) (seconds * 1e9);
        final long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = deadline - System.nanoTime();
        }
        c.reply().ok();
    }

    /** Redis's DEBUG OBJECT line; serializedlength is the RDB string encoding without LZF. */
    private void object(final ClientSession c, final Args a) {
        final Entry e = c.db().lookup(a.array(), a.offset(2), a.length(2));
        if (e == null) {
            c.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        final String encoding = Strings.isString(e.value) ? Strings.encoding(e.value)
            : dev.cinnabar.storage.type.ValueType.of(e.value).wireName();
        final long lruIdle = c.keyspace().idleSeconds(e);
        c.reply().simple("Value at:0x" + Long.toHexString(0x7f0000000000L | System.identityHashCode(e.value))
            + " refcount:1 encoding:" + encoding + " serializedlength:" + serializedLength(e.value)
            + " lru:" + e.lru + " lru_seconds_idle:" + lruIdle);
    }

    private static long serializedLength(final Object v) {
        if (!Strings.isString(v)) {
            return 0;
        }
        final byte[] b = Strings.bytes(v);
        if (b.length <= 11 && dev.cinnabar.protocol.util.Bytes.isLong(b)) {
            final long n = dev.cinnabar.protocol.util.Bytes.parseLong(b);
            if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) {
                return 2;
            } else if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                return 3;
            } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return 5;
            }
        }
        final int len = b.length;
        final int header = len < 64 ? 1 : len < 16384 ? 2 : 5;
        return header + len;
    }

    private void shutdown(final ClientSession c, final Args a) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        boolean force = false;
        for (int i = 1; i < a.count(); i++) {
            if (a.is(i, "NOSAVE")) {
                nosave = true;
            } else if (a.is(i, "SAVE")) {
                save = true;
            } else if (a.is(i, "ABORT")) {
                abort = true;
            } else if (a.is(i, "FORCE")) {
                force = true;
            } else if (!a.is(i, "NOW")) {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if ((abort && a.count() != 2) || (save && nosave)) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (abort) {
            c.reply().error(Errors.NO_SHUTDOWN_IN_PROGRESS);
            return;
        }
        if (!c.server().shutdown(save, nosave, force)) {
            c.reply().error("ERR Errors trying to SHUTDOWN. Check logs.");
        }
    }

    private void monitor(final ClientSession c, final Args a) {
        if (c.monitor()) {
            return;
        }
        c.monitor(true);
        c.server().monitors().add(c);
        c.reply().ok();
    }
}
