package dev.cinnabar.server.acl;

import static dev.cinnabar.protocol.command.AclCategory.ADMIN;
import static dev.cinnabar.protocol.command.AclCategory.BLOCKING;
import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.AclCategory.FAST;
import static dev.cinnabar.protocol.command.AclCategory.HYPERLOGLOG;
import static dev.cinnabar.protocol.command.AclCategory.KEYSPACE;
import static dev.cinnabar.protocol.command.AclCategory.READ;
import static dev.cinnabar.protocol.command.AclCategory.SCRIPTING;
import static dev.cinnabar.protocol.command.AclCategory.SLOW;
import static dev.cinnabar.protocol.command.AclCategory.STREAM;
import static dev.cinnabar.protocol.command.AclCategory.WRITE;

import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandCall;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;

/**
 * The commands and subcommands of a Redis 7.0.15 data node that Cinnabar does not implement
 * (scripting, functions, streams, cluster, modules, LATENCY, BGREWRITEAOF, MIGRATE, LOLWUT,
 * PFDEBUG, PFSELFTEST), with the ACL categories Redis gives them.
 *
 * <p>Why they are declared at all: ACL rules name commands, and a rule Redis accepts must be
 * accepted here too, or a configuration copied from Redis's documentation (the sentinel user's
 * {@code +script|kill}, a user with {@code -@all +eval}) stops the server from starting. ACL
 * SETUSER, "user" lines and ACL LOAD accept these names, store them as bits of the user's
 * bitmap like any command, and ACL LIST / GETUSER / SAVE show them as Redis does; the bits also
 * count in the categories (so {@code +@scripting} reads back as Redis writes it), and ACL CAT
 * lists them in theirs, as Redis does. They are never in COMMAND or the dispatcher's table:
 * sending one still answers "unknown command", and ACL DRYRUN answers that the command is not
 * found (a permission verdict would need their key specs, EVAL's numkeys, XREAD's STREAMS).
 *
 * <p>Invariant: no name here is in the server's own table ({@link AclCommandIndex} refuses such a
 * table); a command implemented later must leave this list. The facts (names, arity, categories
 * as COMMAND INFO of Redis 7.0.15 reports them, implied ones included) were read from a running
 * redis-server 7.0.15; the arity is kept for reference only.
 */
public final class UnimplementedRedisCommands {
    private UnimplementedRedisCommands() {
    }

    /** A table of these commands, for the ACL only: its handlers are never called. */
    public static CommandTable table() {
        final CommandTable.Builder t = CommandTable.builder();
        command(t, "BGREWRITEAOF", 1, ADMIN, SLOW, DANGEROUS);
        final CommandTable.CommandBuilder cluster = container(t, "CLUSTER");
        sub(cluster, "ADDSLOTS", -3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "ADDSLOTSRANGE", -4, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "BUMPEPOCH", 2, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "COUNT-FAILURE-REPORTS", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "COUNTKEYSINSLOT", 3, SLOW);
        sub(cluster, "DELSLOTS", -3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "DELSLOTSRANGE", -4, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "FAILOVER", -2, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "FLUSHSLOTS", 2, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "FORGET", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "GETKEYSINSLOT", 4, SLOW);
        sub(cluster, "HELP", 2, SLOW);
        sub(cluster, "INFO", 2, SLOW);
        sub(cluster, "KEYSLOT", 3, SLOW);
        sub(cluster, "LINKS", 2, SLOW);
        sub(cluster, "MEET", -4, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "MYID", 2, SLOW);
        sub(cluster, "NODES", 2, SLOW);
        sub(cluster, "REPLICAS", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "REPLICATE", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "RESET", -2, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "SAVECONFIG", 2, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "SET-CONFIG-EPOCH", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "SETSLOT", -4, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "SHARDS", 2, SLOW);
        sub(cluster, "SLAVES", 3, ADMIN, SLOW, DANGEROUS);
        sub(cluster, "SLOTS", 2, SLOW);
        command(t, "EVAL", -3, SLOW, SCRIPTING);
        command(t, "EVAL_RO", -3, SLOW, SCRIPTING);
        command(t, "EVALSHA", -3, SLOW, SCRIPTING);
        command(t, "EVALSHA_RO", -3, SLOW, SCRIPTING);
        command(t, "FCALL", -3, SLOW, SCRIPTING);
        command(t, "FCALL_RO", -3, SLOW, SCRIPTING);
        final CommandTable.CommandBuilder function = container(t, "FUNCTION");
        sub(function, "DELETE", 3, WRITE, SLOW, SCRIPTING);
        sub(function, "DUMP", 2, SLOW, SCRIPTING);
        sub(function, "FLUSH", -2, WRITE, SLOW, SCRIPTING);
        sub(function, "HELP", 2, SLOW, SCRIPTING);
        sub(function, "KILL", 2, SLOW, SCRIPTING);
        sub(function, "LIST", -2, SLOW, SCRIPTING);
        sub(function, "LOAD", -3, WRITE, SLOW, SCRIPTING);
        sub(function, "RESTORE", -3, WRITE, SLOW, SCRIPTING);
        sub(function, "STATS", 2, SLOW, SCRIPTING);
        final CommandTable.CommandBuilder latency = container(t, "LATENCY");
        sub(latency, "DOCTOR", 2, ADMIN, SLOW, DANGEROUS);
        sub(latency, "GRAPH", 3, ADMIN, SLOW, DANGEROUS);
        sub(latency, "HELP", 2, SLOW);
        sub(latency, "HISTOGRAM", -2, ADMIN, SLOW, DANGEROUS);
        sub(latency, "HISTORY", 3, ADMIN, SLOW, DANGEROUS);
        sub(latency, "LATEST", 2, ADMIN, SLOW, DANGEROUS);
        sub(latency, "RESET", -2, ADMIN, SLOW, DANGEROUS);
        command(t, "LOLWUT", -1, READ, FAST);
        command(t, "MIGRATE", -6, KEYSPACE, WRITE, SLOW, DANGEROUS);
        final CommandTable.CommandBuilder module = container(t, "MODULE");
        sub(module, "HELP", 2, SLOW);
        sub(module, "LIST", 2, ADMIN, SLOW, DANGEROUS);
        sub(module, "LOAD", -3, ADMIN, SLOW, DANGEROUS);
        sub(module, "LOADEX", -3, ADMIN, SLOW, DANGEROUS);
        sub(module, "UNLOAD", 3, ADMIN, SLOW, DANGEROUS);
        command(t, "PFDEBUG", 3, WRITE, HYPERLOGLOG, ADMIN, SLOW, DANGEROUS);
        command(t, "PFSELFTEST", 1, HYPERLOGLOG, ADMIN, SLOW, DANGEROUS);
        final CommandTable.CommandBuilder script = container(t, "SCRIPT");
        sub(script, "DEBUG", 3, SLOW, SCRIPTING);
        sub(script, "EXISTS", -3, SLOW, SCRIPTING);
        sub(script, "FLUSH", -2, SLOW, SCRIPTING);
        sub(script, "HELP", 2, SLOW, SCRIPTING);
        sub(script, "KILL", 2, SLOW, SCRIPTING);
        sub(script, "LOAD", 3, SLOW, SCRIPTING);
        command(t, "XACK", -4, WRITE, STREAM, FAST);
        command(t, "XADD", -5, WRITE, STREAM, FAST);
        command(t, "XAUTOCLAIM", -6, WRITE, STREAM, FAST);
        command(t, "XCLAIM", -6, WRITE, STREAM, FAST);
        command(t, "XDEL", -3, WRITE, STREAM, FAST);
        final CommandTable.CommandBuilder xgroup = container(t, "XGROUP");
        sub(xgroup, "CREATE", -5, WRITE, STREAM, SLOW);
        sub(xgroup, "CREATECONSUMER", 5, WRITE, STREAM, SLOW);
        sub(xgroup, "DELCONSUMER", 5, WRITE, STREAM, SLOW);
        sub(xgroup, "DESTROY", 4, WRITE, STREAM, SLOW);
        sub(xgroup, "HELP", 2, STREAM, SLOW);
        sub(xgroup, "SETID", -5, WRITE, STREAM, SLOW);
        final CommandTable.CommandBuilder xinfo = container(t, "XINFO");
        sub(xinfo, "CONSUMERS", 4, READ, STREAM, SLOW);
        sub(xinfo, "GROUPS", 3, READ, STREAM, SLOW);
        sub(xinfo, "HELP", 2, STREAM, SLOW);
        sub(xinfo, "STREAM", -3, READ, STREAM, SLOW);
        command(t, "XLEN", 2, READ, STREAM, FAST);
        command(t, "XPENDING", -3, READ, STREAM, SLOW);
        command(t, "XRANGE", -4, READ, STREAM, SLOW);
        command(t, "XREAD", -4, READ, STREAM, SLOW, BLOCKING);
        command(t, "XREADGROUP", -7, WRITE, STREAM, SLOW, BLOCKING);
        command(t, "XREVRANGE", -4, READ, STREAM, SLOW);
        command(t, "XSETID", -3, WRITE, STREAM, FAST);
        command(t, "XTRIM", -4, WRITE, STREAM, SLOW);
        return t.build();
    }

    private static void command(final CommandTable.Builder t, final String name, final int arity,
                                final AclCategory... categories) {
        t.command(name).arity(arity).acl(categories).handler(UnimplementedRedisCommands::neverDispatched);
    }

    private static CommandTable.CommandBuilder container(final CommandTable.Builder t, final String name) {
        return t.command(name).arity(-2);
    }

    private static void sub(final CommandTable.CommandBuilder parent, final String name, final int arity,
                            final AclCategory... categories) {
        parent.subcommand(name).arity(arity).acl(categories).handler(UnimplementedRedisCommands::neverDispatched);
    }

    private static void neverDispatched(final CommandCall call, final Args args) {
        throw new IllegalStateException("an ACL-only command was dispatched");
    }
}
