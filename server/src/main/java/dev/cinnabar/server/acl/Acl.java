package dev.cinnabar.server.acl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.RawText;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientInfo;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.pubsub.ByteKey;

/**
 * The users and the permission check: Redis's acl.c for one server. Lives on the keyspace loop
 * like the rest of the server state.
 *
 * <p>Why shaped this way: the dispatcher asks {@link #check} only for a user that is not
 * {@link AclUser#unrestricted()}, so the default user with +@all ~* &* costs one field read; a
 * restricted user costs a bit test, and key/channel matching only for commands with keys or
 * channels, with the key positions computed once per command into reused arrays.
 *
 * <p>Invariants:
 * <ol>
 * <li>The default user always exists and is never replaced (clients hold it); ACL LOAD copies the
 *     loaded default user into it.</li>
 * <li>Users are kept sorted by the bytes of their names, as Redis's rax lists them
 *     ({@link #NAME_ORDER}).</li>
 * <li>A deleted user's clients are disconnected; a changed user's clients stay, except those
 *     subscribed to channels the new rules forbid (Redis's ACLKillPubsubClientsIfNeeded).</li>
 * </ol>
 * Redis: acl.c ACLCheckAllUserCommandPerm(), ACLSetUser(), ACLLoadFromFile(), addACLLogEntry().
 */
public final class Acl {
    public static final String DEFAULT_USER = "default";
    static final String NO_ACL_FILE = "ERR This Redis instance is not configured to use an ACL file. You may want "
        + "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
        + "configuration file set) in order to store users in the Redis configuration.";

    /**
     * Redis's rax order of user names: by their UTF-8 bytes, unsigned, which is code point order
     * (String's own order compares UTF-16 units and puts U+10000 and above before U+E000..U+FFFF).
     */
    static final Comparator<String> NAME_ORDER = Acl::compareCodePoints;

    private final Server server;
    private final AclCommandIndex index;
    private final Map<String, AclUser> users = new TreeMap<>(NAME_ORDER);
    private final AclUser defaultUser;
    private final AclLog log = new AclLog();
    private int[] keyPositions = new int[16];
    private int[] keySpecOf = new int[16];
    /** The argument a denied key or channel check stopped at (Redis's acl_errpos). */
    private int deniedIndex;
    /** Key positions found for the command being checked, or -1 before the first selector needs them. */
    private int keysFound;

    public Acl(final Server server, final AclCommandIndex index) {
        this.server = server;
        this.index = index;
        this.defaultUser = newDefaultUser();
        users.put(DEFAULT_USER, defaultUser);
    }

    private AclUser newDefaultUser() {
        final AclUser u = new AclUser(DEFAULT_USER, index, false);
        try {
            for (final String op : List.of("+@all", "~*", "&*", "on", "nopass")) {
                u.apply(op, false);
            }
        } catch (AclException e) {
            throw new IllegalStateException(e);
        }
        return u;
    }

    private static int compareCodePoints(final String a, final String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            final int ca = a.codePointAt(i);
            final int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    public AclUser user(final String name) {
        return users.get(name);
    }

    public Collection<AclUser> users() {
        return users.values();
    }

    public AclLog log() {
        return log;
    }

    AclCommandIndex index() {
        return index;
    }

    boolean allChannelsByDefault() {
        final var p = server.configTable().find("acl-pubsub-default");
        return p != null && p.value().equals("allchannels");
    }

    /** Redis's authRequired: the default user needs a password (or is off) and the client has none. */
    public boolean authRequired(final ClientSession c) {
        return !c.authenticated() && (!defaultUser.nopass() || !defaultUser.enabled());
    }

    /** Whether a new (or RESET) client starts authenticated as the default user. */
    public boolean defaultUserNeedsNoAuth() {
        return defaultUser.nopass() && defaultUser.enabled();
    }

    /** requirepass: the default user's only password, or nopass when empty (ACLUpdateDefaultUserPassword). */
    public void requirepass(final String password) {
        try {
            defaultUser.apply("resetpass", false);
            defaultUser.apply(password.isEmpty() ? "nopass" : ">" + password, false);
        } catch (AclException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * AUTH and HELLO ... AUTH: on success the client is authenticated as the user; on failure the
     * attempt is logged (reason auth) and false returned.
     */
    public boolean authenticate(final ClientSession c, final String username, final byte[] password,
                                final String command) {
        final AclUser u = users.get(username);
        if (u != null && u.passwordMatches(password)) {
            c.user(u);
            c.authenticated(true);
            return true;
        }
        addLog(c, AclSelector.DENIED_AUTH, command, username);
        return false;
    }

    /**
     * The permission check of processCommand: {@link AclSelector#OK} or the most relevant denial
     * over the user's selectors (the highest code, then the latest argument), with
     * {@link #deniedIndex()} set for key and channel denials.
     */
    public int check(final AclUser u, final CommandSpec spec, final Args args) {
        int relevant = AclSelector.DENIED_CMD;
        int lastIdx = 0;
        keysFound = -1;
        for (final AclSelector sel : u.selectors()) {
            final int result = check(sel, spec, args);
            if (result == AclSelector.OK) {
                return AclSelector.OK;
            }
            if (result > relevant || (result == relevant && deniedIndex > lastIdx)) {
                relevant = result;
                lastIdx = deniedIndex;
            }
        }
        deniedIndex = lastIdx;
        return relevant;
    }

    /** One selector's verdict (Redis's ACLSelectorCheckCmd); key positions are found once per command. */
    private int check(final AclSelector sel, final CommandSpec spec, final Args args) {
        deniedIndex = 0;
        if (!sel.commandAllowed(spec, args)) {
            return AclSelector.DENIED_CMD;
        }
        if (!sel.allKeys && !spec.keySpecs().isEmpty()) {
            if (keysFound < 0) {
                keysFound = keyPositions(spec, args);
            }
            final int keys = checkKeys(sel, spec, args, keysFound);
            if (keys != AclSelector.OK) {
                return keys;
            }
        }
        if (!sel.allChannels && index.channelKind(spec.id()) != 0) {
            return checkChannels(sel, spec, args);
        }
        return AclSelector.OK;
    }

    /**
     * Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess for reads: one selector allows the command
     * and every key may be read through it (allkeys, or a pattern "*" with read permission).
     */
    public boolean unrestrictedKeyRead(final AclUser u, final CommandSpec spec, final Args args) {
        keysFound = -1;
        for (final AclSelector sel : u.selectors()) {
            if (check(sel, spec, args) == AclSelector.OK && sel.readsAnyKey()) {
                return true;
            }
        }
        return false;
    }

    public int deniedIndex() {
        return deniedIndex;
    }

    private int keyPositions(final CommandSpec spec, final Args args) {
        final int need = args.count() * Math.max(1, spec.keySpecs().size());
        if (keyPositions.length < need) {
            keyPositions = new int[need];
            keySpecOf = new int[need];
        }
        return spec.keyPositions(args, keyPositions, keySpecOf);
    }

    private int checkKeys(final AclSelector sel, final CommandSpec spec, final Args args, final int n) {
        final List<KeySpec> specs = spec.keySpecs();
        final int rule = index.keysRule(spec.id());
        for (int j = 0; j < n; j++) {
            int ksFlags = specs.get(keySpecOf[j]).flags();
            if ((ksFlags & KeySpec.VARIABLE_FLAGS) != 0) {
                ksFlags = variableFlags(rule, args, ksFlags);
            }
            if ((ksFlags & KeySpec.NOT_KEY) == 0 && !keyAllowed(sel, args, keyPositions[j], ksFlags)) {
                return AclSelector.DENIED_KEY;
            }
        }
        if (rule == AclCommandIndex.KEYS_SORT) {
            final int store = sortStoreKey(args);
            if (store > 0 && !keyAllowed(sel, args, store, KeySpec.OW | KeySpec.UPDATE)) {
                return AclSelector.DENIED_KEY;
            }
        }
        return AclSelector.OK;
    }

    /** Redis's ACLSelectorCheckKey for the key at {@code idx}: ACCESS needs read, INSERT/DELETE/UPDATE write. */
    private boolean keyAllowed(final AclSelector sel, final Args args, final int idx, final int ksFlags) {
        int needed = 0;
        if ((ksFlags & KeySpec.ACCESS) != 0) {
            needed |= AclSelector.READ;
        }
        if ((ksFlags & (KeySpec.INSERT | KeySpec.DELETE | KeySpec.UPDATE)) != 0) {
            needed |= AclSelector.WRITE;
        }
        if (sel.keyAllowed(args.array(), args.offset(idx), args.length(idx), needed)) {
            return true;
        }
        deniedIndex = idx;
        return false;
    }

    /**
     * The flags of a VARIABLE_FLAGS key spec for these arguments, as the command's getkeys proc
     * reports them (Redis's setGetKeys and bitfieldGetKeys): SET writes only unless GET is given,
     * BITFIELD only reads when every operation is a GET.
     */
    static int variableFlags(final int rule, final Args args, final int declared) {
        if (rule == AclCommandIndex.KEYS_SET) {
            for (int i = 3; i < args.count(); i++) {
                if (args.is(i, "GET")) {
                    return KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE;
                }
            }
            return KeySpec.OW | KeySpec.UPDATE;
        }
        if (rule == AclCommandIndex.KEYS_BITFIELD) {
            for (int i = 2; i < args.count(); i++) {
                final int rest = args.count() - i - 1;
                if (args.is(i, "GET") && rest >= 2) {
                    i += 2;
                } else if (args.is(i, "OVERFLOW") && rest >= 1) {
                    i += 1;
                } else {
                    return KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE;
                }
            }
            return KeySpec.RO | KeySpec.ACCESS;
        }
        return declared;
    }

    /**
     * Redis's sortGetKeys: the key after the last STORE, skipping LIMIT's two arguments and BY's
     * and GET's one; 0 when there is none.
     */
    static int sortStoreKey(final Args args) {
        int store = 0;
        for (int i = 2; i < args.count(); i++) {
            if (args.is(i, "LIMIT")) {
                i += 2;
            } else if (args.is(i, "GET") || args.is(i, "BY")) {
                i += 1;
            } else if (args.is(i, "STORE") && i + 1 < args.count()) {
                store = i + 1;
            }
        }
        return store;
    }

    private int checkChannels(final AclSelector sel, final CommandSpec spec, final Args args) {
        final int kind = index.channelKind(spec.id());
        final int last = kind == AclCommandIndex.CHANNELS_PUBLISH ? Math.min(1, args.count() - 1) : args.count() - 1;
        for (int i = 1; i <= last; i++) {
            if (!sel.channelAllowed(args.array(), args.offset(i), args.length(i),
                kind == AclCommandIndex.CHANNELS_PATTERN)) {
                deniedIndex = i;
                return AclSelector.DENIED_CHANNEL;
            }
        }
        return AclSelector.OK;
    }

    /** Whether the user may still use a subscription (ACLUserCheckChannelPerm over its selectors). */
    boolean channelAllowed(final AclUser u, final byte[] channel, final boolean isPattern) {
        for (final AclSelector s : u.selectors()) {
            if (s.channelAllowed(channel, 0, channel.length, isPattern)) {
                return true;
            }
        }
        return false;
    }

    /** The NOPERM reply of processCommand for a denial. */
    public static String noPermError(final int code, final CommandSpec spec) {
        return switch (code) {
            case AclSelector.DENIED_CMD -> "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
            case AclSelector.DENIED_KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case AclSelector.DENIED_CHANNEL ->
                "NOPERM this user has no permissions to access one of the channels used as arguments";
            default -> "NOPERM no permission";
        };
    }

    /**
     * EXEC's second check of a queued command (the rules may have changed since it was queued):
     * null to run it, or the NOPERM text, the denial logged with context multi.
     */
    public String execDenial(final ClientSession c, final CommandSpec spec, final Args args) {
        final AclUser u = c.user();
        if (u == null || u.unrestricted()) {
            return null;
        }
        final int code = check(u, spec, args);
        if (code == AclSelector.OK) {
            return null;
        }
        final String reason = switch (code) {
            case AclSelector.DENIED_CMD -> "no permission to execute the command or subcommand";
            case AclSelector.DENIED_KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        logDenied(c, code, spec, args, true);
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
            + "This command is no longer allowed for the following reason: " + reason;
    }

    /** Logs a denied command for the client (context multi inside a transaction). */
    public void logDenied(final ClientSession c, final int code, final CommandSpec spec, final Args args,
                          final boolean inMulti) {
        final String object = code == AclSelector.DENIED_CMD ? spec.name() : args.string(deniedIndex);
        addLog(c, code, object, c.user() == null ? "" : c.user().name(), inMulti ? "multi" : "toplevel");
    }

    private void addLog(final ClientSession c, final int code, final String object, final String username) {
        addLog(c, code, object, username, c.multi().active() ? "multi" : "toplevel");
    }

    private void addLog(final ClientSession c, final int code, final String object, final String username,
                        final String context) {
        final String reason = switch (code) {
            case AclSelector.DENIED_CMD -> "command";
            case AclSelector.DENIED_KEY -> "key";
            case AclSelector.DENIED_CHANNEL -> "channel";
            default -> "auth";
        };
        final var p = server.configTable().find("acllog-max-len");
        final long maxLen = p == null ? 128 : Long.parseLong(p.value());
        log.add(reason, context, object, username, server.clock(), ClientInfo.line(server, c), maxLen);
    }

    /**
     * ACL SETUSER: applies the rules to a copy of the user (a new one when absent) and stores the
     * result only when all of them apply. Returns null or the full error text.
     */
    public String setUser(final String name, final List<String> rules) {
        if (name.indexOf(' ') >= 0 || name.indexOf('\0') >= 0) {
            return "ERR Usernames can't contain spaces or null characters";
        }
        final List<String> merged = mergeSelectorArguments(rules);
        if (merged == null) {
            return "ERR Unmatched parenthesis in acl selector starting at '" + unmatched(rules) + "'.";
        }
        final AclUser existing = users.get(name);
        final boolean pubsubAll = allChannelsByDefault();
        final AclUser work = existing != null ? existing.copy() : new AclUser(name, index, pubsubAll);
        for (final String op : merged) {
            try {
                work.apply(op, pubsubAll);
            } catch (AclException e) {
                return "ERR Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
            }
        }
        if (existing == null) {
            users.put(name, work);
        } else {
            existing.replaceWith(work);
            killPubsubClientsIfNeeded(existing);
        }
        return null;
    }

    /** Redis's ACLKillPubsubClientsIfNeeded: a subscriber whose channels the new rules forbid is closed. */
    private void killPubsubClientsIfNeeded(final AclUser u) {
        for (final ClientSession c : new ArrayList<>(server.clients())) {
            if (c.user() != u || !c.subscriptions().active()) {
                continue;
            }
            boolean kill = false;
            for (final ByteKey ch : c.subscriptions().channels()) {
                kill |= !channelAllowed(u, ch.bytes(), false);
            }
            for (final ByteKey ch : c.subscriptions().shardChannels()) {
                kill |= !channelAllowed(u, ch.bytes(), false);
            }
            for (final ByteKey p : c.subscriptions().patterns()) {
                kill |= !channelAllowed(u, p.bytes(), true);
            }
            if (kill) {
                disconnect(c);
            }
        }
    }

    /** ACL DELUSER of one user: false for an unknown one. Its clients are disconnected. */
    public boolean deleteUser(final String name) {
        final AclUser u = users.remove(name);
        if (u == null) {
            return false;
        }
        disconnectClientsOf(u);
        return true;
    }

    void disconnectClientsOf(final AclUser u) {
        for (final ClientSession c : new ArrayList<>(server.clients())) {
            if (c.user() == u) {
                disconnect(c);
            }
        }
    }

    private void disconnect(final ClientSession c) {
        if (c == server.currentClient()) {
            c.closeAfterReply();
        } else {
            c.closeNow();
        }
    }

    /**
     * Redis's ACLMergeSelectorArguments: arguments from one starting with '(' to one ending with
     * ')' become one selector argument, joined by spaces; null when a '(' is never closed.
     */
    static List<String> mergeSelectorArguments(final List<String> args) {
        final List<String> out = new ArrayList<>();
        StringBuilder selector = null;
        for (final String a : args) {
            if (selector == null && a.startsWith("(") && !a.endsWith(")")) {
                selector = new StringBuilder(a);
            } else if (selector != null) {
                selector.append(' ').append(a);
                if (a.endsWith(")")) {
                    out.add(selector.toString());
                    selector = null;
                }
            } else {
                out.add(a);
            }
        }
        return selector == null ? out : null;
    }

    private static String unmatched(final List<String> args) {
        String start = null;
        for (final String a : args) {
            if (start == null && a.startsWith("(") && !a.endsWith(")")) {
                start = a;
            } else if (start != null && a.endsWith(")")) {
                start = null;
            }
        }
        return start;
    }

    /**
     * Users declared by "user" lines: each line is the name and its rules. Returns null or
     * Redis's start-up error ("Error loading ACL rule ..."), with nothing changed on error.
     */
    public String loadConfiguredUsers(final List<List<String>> lines) {
        final Map<String, AclUser> loaded = new TreeMap<>(NAME_ORDER);
        final boolean pubsubAll = allChannelsByDefault();
        for (final List<String> line : lines) {
            final String name = line.get(0);
            final AclUser u = name.equals(DEFAULT_USER) ? defaultUser.copy() : new AclUser(name, index, pubsubAll);
            if (name.equals(DEFAULT_USER)) {
                try {
                    u.apply("reset", pubsubAll);
                } catch (AclException e) {
                    throw new IllegalStateException(e);
                }
            }
            final List<String> merged = mergeSelectorArguments(line.subList(1, line.size()));
            if (merged == null) {
                return "Error loading ACL rule for the user named '" + name + "': Unmatched parenthesis";
            }
            for (final String op : merged) {
                try {
                    u.apply(op, pubsubAll);
                } catch (AclException e) {
                    return "Error loading ACL rule '" + op + "' for the user named '" + name + "': " + e.getMessage();
                }
            }
            loaded.put(name, u);
        }
        // unlike ACL LOAD, only the users named change (the default one keeps requirepass unless named)
        final AclUser named = loaded.remove(DEFAULT_USER);
        if (named != null) {
            defaultUser.replaceWith(named);
        }
        users.putAll(loaded);
        return null;
    }

    /** Replaces the users; the default user object stays, with the loaded rules copied in. */
    private void install(final Map<String, AclUser> loaded) {
        final AclUser newDefault = loaded.remove(DEFAULT_USER);
        defaultUser.replaceWith(newDefault != null ? newDefault : newDefaultUser());
        final List<AclUser> old = new ArrayList<>(users.values());
        users.clear();
        users.put(DEFAULT_USER, defaultUser);
        users.putAll(loaded);
        for (final AclUser u : old) {
            if (u != defaultUser) {
                disconnectClientsOf(u);
            }
        }
    }

    /**
     * ACL LOAD and the aclfile at start-up: Redis's ACLLoadFromFile over the file's text. Returns
     * null, or the accumulated errors (nothing is changed then).
     */
    public String loadFile(final String fileName, final String content) {
        final StringBuilder errors = new StringBuilder();
        final Map<String, AclUser> loaded = new TreeMap<>(NAME_ORDER);
        final boolean pubsubAll = allChannelsByDefault();
        final String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final int lineNo = i + 1;
            final String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            final String[] argv = line.split(" ", -1);
            if (!argv[0].equals("user") || argv.length < 2) {
                errors.append(fileName).append(':').append(lineNo)
                    .append(" should start with user keyword followed by the username. ");
                continue;
            }
            final String name = argv[1];
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNo)
                    .append(". ");
                continue;
            }
            final AclUser u = new AclUser(name, index, pubsubAll);
            // created before its rules apply, as ACLCreateUser does: a later line with the name is a duplicate
            loaded.put(name, u);
            final List<String> merged = mergeSelectorArguments(List.of(argv).subList(2, argv.length));
            if (merged == null) {
                errors.append(fileName).append(':').append(lineNo)
                    .append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (final String raw : merged) {
                final String op = raw.strip();
                try {
                    u.apply(op, pubsubAll);
                } catch (AclException e) {
                    if (e.unknownName()) {
                        errors.append(fileName).append(':').append(lineNo).append(": Error in applying operation '")
                            .append(op).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(fileName).append(':').append(lineNo).append(": ").append(e.getMessage())
                            .append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (errors.length() > 0) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was "
                + "performed").toString();
        }
        install(loaded);
        return null;
    }

    /** The configured aclfile resolved against dir, or null when none is configured. */
    public Path aclFile() {
        final var p = server.configTable().find("aclfile");
        if (p == null || p.value().isEmpty()) {
            return null;
        }
        return Path.of(server.config().dir).resolve(p.value());
    }

    /** ACL LOAD and start-up: the file's users, or Redis's error text (nothing changed then). */
    public String loadFile(final Path file) {
        final String content;
        try {
            content = RawText.read(file);
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + file + "': No such file or directory";
        }
        return loadFile(file.toString(), content);
    }

    /**
     * Redis's ACLLoadUsersAtStartup: the config's "user" lines or the aclfile, never both.
     * Returns null or the reason the server must not start.
     */
    public String loadAtStartup(final List<List<String>> configUsers) {
        final Path file = aclFile();
        if (file != null && !configUsers.isEmpty()) {
            return "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is "
                + "invalid. This setup is very likely to lead to configuration errors and security holes, please "
                + "define either an ACL file or declare users directly in your redis.conf, but not both.";
        }
        final String configError = loadConfiguredUsers(configUsers);
        if (configError != null) {
            return configError + "\nCritical error while loading ACLs. Exiting.";
        }
        if (file != null) {
            final String fileError = loadFile(file);
            if (fileError != null) {
                return "Aborting Redis startup because of ACL errors: " + fileError;
            }
        }
        return null;
    }

    /** Every user as a "user name rules" line, sorted: ACL LIST, ACL SAVE and CONFIG REWRITE. */
    public List<String> userLines() {
        final List<String> out = new ArrayList<>();
        for (final AclUser u : users.values()) {
            out.add("user " + u.name() + " " + u.describe());
        }
        return out;
    }

    /** For ACL DRYRUN: the same check, reported as Redis's explanation or null when allowed. */
    String dryRun(final AclUser u, final CommandSpec spec, final Args args) {
        final int code = check(u, spec, args);
        return switch (code) {
            case AclSelector.OK -> null;
            case AclSelector.DENIED_CMD -> "This user has no permissions to run the '" + spec.name() + "' command";
            case AclSelector.DENIED_KEY -> "This user has no permissions to access the '"
                + args.string(deniedIndex) + "' key";
            default -> "This user has no permissions to access the '" + args.string(deniedIndex) + "' channel";
        };
    }
}
