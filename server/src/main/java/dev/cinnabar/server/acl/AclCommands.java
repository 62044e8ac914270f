package dev.cinnabar.server.acl;

import static dev.cinnabar.protocol.command.CommandFlag.ADMIN;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.RawText;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.commands.Help;
import dev.cinnabar.server.net.ClientSession;

/**
 * ACL and its subcommands, with Redis 7.0's reply shapes in RESP2 and RESP3.
 * Redis: acl.c aclCommand().
 */
public final class AclCommands implements CommandFamily {
    private static final String[] HELP = {
        "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        "HELP",
        "    Prints this help.",
    };
    private static final int LOG_DEFAULT_COUNT = 10;
    private static final int GENPASS_DEFAULT_BITS = 256;
    private static final int GENPASS_MAX_BITS = 4096;

    private final SecureRandom random = new SecureRandom();

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder acl = t.command("ACL").arity(-2).flags(SENTINEL).group("server")
            .since("6.0.0").summary("A container for Access List Control commands")
            .complexity("Depends on subcommand.");
        acl.subcommand("CAT").arity(-2).flags(NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("List the ACL categories or the commands inside a category")
            .complexity("O(1) since the categories and commands are a fixed set.").handler(this::cat);
        acl.subcommand("DELUSER").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Remove the specified ACL users and the associated rules")
            .complexity("O(1) amortized time considering the typical user.").handler(this::deluser);
        acl.subcommand("DRYRUN").arity(-4).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL).since("7.0.0")
            .summary("Returns whether the user can execute the given command without executing the command.")
            .complexity("O(1).").handler(this::dryrun);
        acl.subcommand("GENPASS").arity(-2).flags(NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Generate a pseudorandom secure password to use for ACL users").complexity("O(1)")
            .handler(this::genpass);
        acl.subcommand("GETUSER").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Get the rules for a specific ACL user")
            .complexity("O(N). Where N is the number of password, command and pattern rules that the user has.")
            .handler(this::getuser);
        acl.subcommand("HELP").arity(2).flags(LOADING, STALE, SENTINEL)
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> Help.reply(c, HELP));
        acl.subcommand("LIST").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("List the current ACL rules in ACL config file format")
            .complexity("O(N). Where N is the number of configured users.").handler(this::list);
        acl.subcommand("LOAD").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Reload the ACLs from the configured ACL file")
            .complexity("O(N). Where N is the number of configured users.").handler(this::load);
        acl.subcommand("LOG").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("List latest events denied because of ACLs in place")
            .complexity("O(N) with N being the number of entries shown.").handler(this::log);
        acl.subcommand("SAVE").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Save the current ACL rules in the configured ACL file")
            .complexity("O(N). Where N is the number of configured users.").handler(this::save);
        acl.subcommand("SETUSER").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Modify or create the rules for a specific ACL user")
            .complexity("O(N). Where N is the number of rules provided.").handler(this::setuser);
        acl.subcommand("USERS").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("List the username of all the configured ACL rules")
            .complexity("O(N). Where N is the number of configured users.").handler(this::users);
        acl.subcommand("WHOAMI").arity(2).flags(NOSCRIPT, LOADING, STALE, SENTINEL)
            .summary("Return the name of the user associated to the current connection").complexity("O(1)")
            .handler(this::whoami);
    }

    private void cat(final ClientSession c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(subcommandSyntax(a.string(1)));
            return;
        }
        if (a.count() == 2) {
            c.reply().array(AclCategory.values().length);
            for (final AclCategory cat : AclCategory.values()) {
                c.reply().bulk(cat.wireName());
            }
            return;
        }
        final String name = a.string(2);
        final AclCategory cat = AclCategory.byName(name);
        if (cat == null) {
            c.reply().error("ERR Unknown category '" + name + "'");
            return;
        }
        // the ACL's commands, as Redis lists them: the ones it declares but Cinnabar does not serve included, since
        // rules name them (UnimplementedRedisCommands)
        final List<String> names = new ArrayList<>();
        for (final CommandSpec s : c.server().acl().index().specs()) {
            if (cat.in(s.aclCategories())) {
                names.add(s.name());
            }
        }
        c.reply().array(names.size());
        for (final String n : names) {
            c.reply().bulk(n);
        }
    }

    private void setuser(final ClientSession c, final Args a) {
        final List<String> rules = new ArrayList<>();
        for (int i = 3; i < a.count(); i++) {
            rules.add(a.string(i));
        }
        final String err = c.server().acl().setUser(a.string(2), rules);
        if (err != null) {
            c.reply().error(err);
        } else {
            c.reply().ok();
        }
    }

    private void deluser(final ClientSession c, final Args a) {
        final Acl acl = c.server().acl();
        for (int i = 2; i < a.count(); i++) {
            if (a.string(i).equals(Acl.DEFAULT_USER)) {
                c.reply().error("ERR The 'default' user cannot be removed");
                return;
            }
        }
        long deleted = 0;
        for (int i = 2; i < a.count(); i++) {
            if (acl.deleteUser(a.string(i))) {
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    private void getuser(final ClientSession c, final Args a) {
        final AclUser u = c.server().acl().user(a.string(2));
        final RespWriter r = c.reply();
        if (u == null) {
            r.nullBulk();
            return;
        }
        r.map(6);
        r.bulk("flags");
        final List<String> flags = u.flags();
        r.set(flags.size());
        for (final String f : flags) {
            r.bulk(f);
        }
        r.bulk("passwords");
        final List<String> hashes = u.passwordHashes();
        r.array(hashes.size());
        for (final String h : hashes) {
            r.bulk(h);
        }
        describeSelector(r, u.root());
        r.bulk("selectors");
        r.array(u.selectors().size() - 1);
        for (int i = 1; i < u.selectors().size(); i++) {
            r.map(3);
            describeSelector(r, u.selectors().get(i));
        }
    }

    private static void describeSelector(final RespWriter r, final AclSelector s) {
        r.bulk("commands").bulk(s.describeCommands());
        r.bulk("keys").bulk(s.describeKeys());
        r.bulk("channels").bulk(s.describeChannels());
    }

    private void list(final ClientSession c, final Args a) {
        final List<String> lines = c.server().acl().userLines();
        c.reply().array(lines.size());
        for (final String l : lines) {
            c.reply().bulk(l);
        }
    }

    private void users(final ClientSession c, final Args a) {
        c.reply().array(c.server().acl().users().size());
        for (final AclUser u : c.server().acl().users()) {
            c.reply().bulk(u.name());
        }
    }

    private void whoami(final ClientSession c, final Args a) {
        c.reply().bulk(c.user() == null ? "(superuser)" : c.user().name());
    }

    private void genpass(final ClientSession c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(subcommandSyntax(a.string(1)));
            return;
        }
        long bits = GENPASS_DEFAULT_BITS;
        if (a.count() == 3) {
            if (!a.isLong(2)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            bits = a.longValue(2);
            if (bits <= 0 || bits > GENPASS_MAX_BITS) {
                c.reply().error("ERR ACL GENPASS argument must be the number of bits for the output password, a "
                    + "positive number up to 4096");
                return;
            }
        }
        final int chars = (int) ((bits + 3) / 4);
        final byte[] raw = new byte[(chars + 1) / 2];
        random.nextBytes(raw);
        c.reply().bulk(HexFormat.of().formatHex(raw).substring(0, chars));
    }

    private void log(final ClientSession c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(subcommandSyntax(a.string(1)));
            return;
        }
        final AclLog log = c.server().acl().log();
        long count = LOG_DEFAULT_COUNT;
        if (a.count() == 3) {
            if (a.is(2, "RESET")) {
                log.reset();
                c.reply().ok();
                return;
            }
            if (!a.isLong(2)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            count = a.longValue(2);
        }
        final RespWriter r = c.reply();
        final long shown = Math.max(0, Math.min(count, log.size()));
        r.array(shown);
        final long now = c.server().clock();
        long n = 0;
        for (final AclLog.Entry e : log.newestFirst()) {
            if (n++ == shown) {
                break;
            }
            r.map(7);
            r.bulk("count").integer(e.count);
            r.bulk("reason").bulk(e.reason);
            r.bulk("context").bulk(e.context);
            r.bulk("object").bulk(e.object);
            r.bulk("username").bulk(e.username);
            r.bulk("age-seconds").doubleValue((now - e.createdMs) / 1000.0);
            r.bulk("client-info").bulk(e.clientInfo);
        }
    }

    private void dryrun(final ClientSession c, final Args a) {
        final Acl acl = c.server().acl();
        final AclUser u = acl.user(a.string(2));
        if (u == null) {
            c.reply().error("ERR User '" + a.string(2) + "' not found");
            return;
        }
        final byte[][] argv = new byte[a.count() - 3][];
        for (int i = 3; i < a.count(); i++) {
            argv[i - 3] = a.copy(i);
        }
        final Args cmd = Args.of(argv);
        CommandSpec spec = c.server().commandTable().lookup(a.array(), a.offset(3), a.length(3));
        if (spec != null && spec.isContainer() && cmd.count() >= 2) {
            spec = spec.subcommand(cmd);
        }
        if (spec == null) {
            c.reply().error("ERR Command '" + a.string(3) + "' not found");
            return;
        }
        if (!spec.arityOk(cmd.count())) {
            c.reply().error(Errors.wrongArity(spec.name()));
            return;
        }
        final String denial = acl.dryRun(u, spec, cmd);
        if (denial == null) {
            c.reply().ok();
        } else {
            c.reply().bulk(denial);
        }
    }

    private void load(final ClientSession c, final Args a) {
        final Server server = c.server();
        final Path file = server.acl().aclFile();
        if (file == null) {
            c.reply().error(Acl.NO_ACL_FILE);
            return;
        }
        final String err = server.acl().loadFile(file);
        if (err != null) {
            c.reply().error("ERR " + err);
        } else {
            c.reply().ok();
        }
    }

    private void save(final ClientSession c, final Args a) {
        final Server server = c.server();
        final Path file = server.acl().aclFile();
        if (file == null) {
            c.reply().error(Acl.NO_ACL_FILE);
            return;
        }
        final StringBuilder sb = new StringBuilder();
        for (final String line : server.acl().userLines()) {
            sb.append(line).append('\n');
        }
        try {
            final Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
            Files.write(tmp, RawText.encode(sb.toString()));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            c.reply().ok();
        } catch (IOException e) {
            ServerLog.warning("Failed to save the ACL file: " + e.getMessage());
            c.reply().error("ERR There was an error trying to save the ACLs. Please check the server logs for more "
                + "information");
        }
    }

    private static String subcommandSyntax(final String sub) {
        return "ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try ACL HELP.";
    }
}
