package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.AclCategory.CONNECTION;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Glob;
import dev.cinnabar.server.net.ClientSession;

/**
 * COMMAND and its subcommands: the command table described in Redis 7.0's shapes, generated from
 * the specs (name, arity, flags, legacy key triple, ACL categories, tips, key specs, subcommands;
 * docs: summary, since, group, complexity, subcommands).
 */
public final class CommandCommands implements CommandFamily {
    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder cmd = t.command("COMMAND").arity(-1).flags(LOADING, STALE, SENTINEL).acl(CONNECTION)
            .group("server").since("2.8.13").summary("Get array of Redis command details")
            .complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order")
            .handler(this::all);
        cmd.subcommand("GETKEYS").arity(-4).flags(LOADING, STALE).acl(CONNECTION)
            .summary("Extract keys given a full Redis command")
            .complexity("O(N) where N is the number of arguments to the command")
            .handler((ClientSession c, Args a) -> getkeys(c, a, false));
        cmd.subcommand("HELP").arity(2).flags(LOADING, STALE).acl(CONNECTION).since("5.0.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> Help.reply(c, HELP));
        cmd.subcommand("INFO").arity(-2).flags(LOADING, STALE).acl(CONNECTION)
            .summary("Get array of specific Redis command details, or all when no argument is given.")
            .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order")
            .handler(this::info);
        cmd.subcommand("LIST").arity(-2).flags(LOADING, STALE).acl(CONNECTION).since("7.0.0")
            .summary("Get an array of Redis command names")
            .complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order")
            .handler(this::list);
        cmd.subcommand("DOCS").arity(-2).flags(LOADING, STALE).acl(CONNECTION).since("7.0.0")
            .summary("Get array of specific Redis command documentation")
            .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order")
            .handler(this::docs);
        cmd.subcommand("GETKEYSANDFLAGS").arity(-4).flags(LOADING, STALE).acl(CONNECTION).since("7.0.0")
            .summary("Extract keys and access flags given a full Redis command")
            .complexity("O(N) where N is the number of arguments to the command")
            .handler((ClientSession c, Args a) -> getkeys(c, a, true));
        cmd.subcommand("COUNT").arity(2).flags(LOADING, STALE).acl(CONNECTION)
            .summary("Get total number of Redis commands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> c.reply().integer(c.server().commandTable().size()));
    }

    private void all(final ClientSession c, final Args a) {
        final CommandTable table = c.server().commandTable();
        c.reply().array(table.size());
        for (final CommandSpec s : table.commands()) {
            writeInfo(c.reply(), s);
        }
    }

    private void info(final ClientSession c, final Args a) {
        if (a.count() == 2) {
            all(c, a);
            return;
        }
        c.reply().array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            final CommandSpec s = c.server().commandTable().lookup(a.string(i));
            if (s == null) {
                c.reply().nullBulk();
            } else {
                writeInfo(c.reply(), s);
            }
        }
    }

    /** One COMMAND INFO entry: the ten fields of Redis 7.0's addReplyCommandInfo. */
    static void writeInfo(final RespWriter w, final CommandSpec s) {
        w.array(10);
        w.bulk(s.name());
        w.integer(s.arity());
        final List<String> flags = new ArrayList<>();
        for (final CommandFlag f : CommandFlag.values()) {
            if (s.has(f) && f.wireName() != null) {
                flags.add(f.wireName());
            }
        }
        w.set(flags.size());
        flags.forEach(w::simple);
        w.integer(s.firstKey());
        w.integer(s.lastKey());
        w.integer(s.keyStep());
        final List<String> cats = new ArrayList<>();
        for (final AclCategory cat : AclCategory.values()) {
            if (cat.in(s.aclCategories())) {
                cats.add("@" + cat.wireName());
            }
        }
        w.set(cats.size());
        cats.forEach(w::simple);
        w.set(s.tips().size());
        s.tips().forEach(w::bulk);
        w.set(s.keySpecs().size());
        for (final KeySpec k : s.keySpecs()) {
            writeKeySpec(w, k);
        }
        w.set(s.subcommands().size());
        for (final CommandSpec sub : s.subcommands().values()) {
            writeInfo(w, sub);
        }
    }

    private static void writeKeySpec(final RespWriter w, final KeySpec k) {
        w.map(k.notes() == null ? 3 : 4);
        if (k.notes() != null) {
            w.bulk("notes").bulk(k.notes());
        }
        w.bulk("flags");
        final String[] flags = k.flagNames();
        w.set(flags.length);
        for (final String f : flags) {
            w.simple(f);
        }
        w.bulk("begin_search").map(2);
        if (k.isUnknown()) {
            w.bulk("type").bulk("unknown").bulk("spec").map(0);
            w.bulk("find_keys").map(2).bulk("type").bulk("unknown").bulk("spec").map(0);
            return;
        }
        if (k.isKeyword()) {
            w.bulk("type").bulk("keyword").bulk("spec").map(2);
            w.bulk("keyword").bulk(k.beginKeyword()).bulk("startfrom").integer(k.keywordStartFrom());
        } else {
            w.bulk("type").bulk("index").bulk("spec").map(1);
            w.bulk("index").integer(k.beginIndex());
        }
        w.bulk("find_keys").map(2);
        if (k.keyNum()) {
            w.bulk("type").bulk("keynum").bulk("spec").map(3);
            w.bulk("keynumidx").integer(k.keyNumIdx()).bulk("firstkey").integer(k.firstKey())
                .bulk("keystep").integer(k.keyStep());
        } else {
            w.bulk("type").bulk("range").bulk("spec").map(3);
            w.bulk("lastkey").integer(k.lastKey()).bulk("keystep").integer(k.keyStep())
                .bulk("limit").integer(k.limit());
        }
    }

    private void docs(final ClientSession c, final Args a) {
        final CommandTable table = c.server().commandTable();
        final List<CommandSpec> specs = new ArrayList<>();
        if (a.count() == 2) {
            specs.addAll(table.commands());
        } else {
            for (int i = 2; i < a.count(); i++) {
                final CommandSpec s = table.lookup(a.string(i));
                if (s != null) {
                    specs.add(s);
                }
            }
        }
        c.reply().map(specs.size());
        for (final CommandSpec s : specs) {
            c.reply().bulk(s.name());
            writeDocs(c.reply(), s);
        }
    }

    private static void writeDocs(final RespWriter w, final CommandSpec s) {
        final boolean hasComplexity = !s.complexity().isEmpty();
        final boolean hasSubs = !s.subcommands().isEmpty();
        w.map(3 + (hasComplexity ? 1 : 0) + (hasSubs ? 1 : 0));
        w.bulk("summary").bulk(s.summary());
        w.bulk("since").bulk(s.since());
        w.bulk("group").bulk(s.group());
        if (hasComplexity) {
            w.bulk("complexity").bulk(s.complexity());
        }
        if (hasSubs) {
            w.bulk("subcommands").map(s.subcommands().size());
            for (final CommandSpec sub : s.subcommands().values()) {
                w.bulk(sub.name());
                writeDocs(w, sub);
            }
        }
    }

    private void list(final ClientSession c, final Args a) {
        String pattern = null;
        AclCategory cat = null;
        boolean module = false;
        if (a.count() == 5 && a.is(2, "FILTERBY")) {
            if (a.is(3, "MODULE")) {
                module = true;
            } else if (a.is(3, "ACLCAT")) {
                cat = AclCategory.byName(a.string(4));
                if (cat == null) {
                    module = true;
                }
            } else if (a.is(3, "PATTERN")) {
                pattern = a.string(4);
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        } else if (a.count() != 2) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final List<String> names = new ArrayList<>();
        if (!module) {
            for (final CommandSpec s : c.server().commandTable().allWithSubcommands()) {
                if ((cat == null || cat.in(s.aclCategories()))
                    && (pattern == null || Glob.match(pattern.getBytes(), s.name().getBytes(), true))) {
                    names.add(s.name());
                }
            }
        }
        c.reply().array(names.size());
        names.forEach(c.reply()::bulk);
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS, with Redis's errors in Redis's order. */
    private void getkeys(final ClientSession c, final Args a, final boolean withFlags) {
        final byte[][] argv = new byte[a.count() - 2][];
        for (int i = 2; i < a.count(); i++) {
            argv[i - 2] = a.copy(i);
        }
        final Args target = Args.of(argv);
        CommandSpec spec = c.server().commandTable().lookup(target.array(), target.offset(0), target.length(0));
        if (spec != null && spec.isContainer() && target.count() > 1) {
            spec = spec.subcommand(target);
        }
        if (spec == null) {
            c.reply().error(Errors.INVALID_COMMAND);
            return;
        }
        if (spec.keySpecs().isEmpty()) {
            c.reply().error(Errors.NO_KEY_ARGUMENTS);
            return;
        }
        if (!spec.arityOk(target.count())) {
            c.reply().error(Errors.INVALID_ARGUMENT_COUNT);
            return;
        }
        final int[] positions = new int[target.count() * Math.max(1, spec.keySpecs().size())];
        final int[] specOf = new int[positions.length];
        final int n = spec.keyPositions(target, positions, specOf);
        if (n == 0 && !spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
            c.reply().error(Errors.INVALID_ARGUMENTS);
            return;
        }
        c.reply().array(n);
        for (int i = 0; i < n; i++) {
            if (withFlags) {
                c.reply().array(2);
            }
            c.reply().bulk(target.array(), target.offset(positions[i]), target.length(positions[i]));
            if (withFlags) {
                final String[] flags = spec.keySpecs().get(specOf[i]).flagNames();
                c.reply().set(flags.length);
                for (final String f : flags) {
                    c.reply().simple(f);
                }
            }
        }
    }
}
