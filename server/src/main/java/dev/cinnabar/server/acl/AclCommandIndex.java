package dev.cinnabar.server.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;

/**
 * What the ACL needs from the command table, computed once per table: a bit per command id
 * (subcommands included) plus one "future commands" bit, the bits each category sets, and where
 * a command's channels are.
 *
 * <p>Why precomputed: a permission check is a word lookup, and +@category / -@category and the
 * best-fit description of ACL GETUSER are bitset operations, never a walk of the table.
 *
 * <p>Invariants:
 * <ol>
 * <li>Bit {@code id} is the spec of that id in {@link CommandTable#allWithSubcommands()}; the
 *     ACL-only commands (Redis commands not implemented here, {@link UnimplementedRedisCommands})
 *     follow, at their id plus the size of the real table; bit {@link #futureBit()} is set only by
 *     +@all / allcommands (Redis's last bit). {@link #specs()} is indexed by bit.</li>
 * <li>No ACL-only command has the name of a real one.</li>
 * <li>{@link #categoryMask} of a category holds every spec declaring it and, for a container
 *     declaring it, all its subcommands: Redis's ACLSetSelectorCommandBitsForCategory, whose
 *     ACLChangeSelectorPerm on a container allows every subcommand.</li>
 * <li>{@link #categoryMembers} holds only the specs declaring the category (ACLCountCategoryBits).</li>
 * </ol>
 * Redis: acl.c ACLSetSelectorCommandBitsForCategory(), ACLChangeSelectorPerm(), and
 * db.c getChannelsFromCommand() for the channel positions.
 */
public final class AclCommandIndex {
    /** How a command names channels (Redis's CMD_CHANNEL_* of getChannelsFromCommand). */
    static final int CHANNELS_NONE = 0;
    /** First argument is a channel it publishes to (PUBLISH, SPUBLISH). */
    static final int CHANNELS_PUBLISH = 1;
    /** Every argument is a channel it subscribes to (SUBSCRIBE, SSUBSCRIBE). */
    static final int CHANNELS_SUBSCRIBE = 2;
    /** Every argument is a pattern, matched literally against the user's channel rules (PSUBSCRIBE). */
    static final int CHANNELS_PATTERN = 3;

    /** Keys found only by the command's own rule (Redis's getkeys_proc), beyond its key specs. */
    static final int KEYS_BY_SPECS = 0;
    /** SET: the key is read too only with GET (setGetKeys). */
    static final int KEYS_SET = 1;
    /** BITFIELD: the key is only read when every operation is a GET (bitfieldGetKeys). */
    static final int KEYS_BITFIELD = 2;
    /** SORT: the key after the last STORE is written (sortGetKeys). */
    static final int KEYS_SORT = 3;

    private final CommandTable table;
    private final CommandTable aclOnly;
    /** The real specs, then the ACL-only ones: index = {@link #bit}. */
    private final List<CommandSpec> specs;
    private final int realSpecs;
    private final List<CommandSpec> topLevel;
    private final int words;
    private final int futureBit;
    private final long[][] categoryMask;
    private final long[][] categoryMembers;
    private final byte[] channelKind;
    private final byte[] keysRule;

    /** The index of a table alone (the sentinel's: Redis's sentinel knows only its own commands). */
    public AclCommandIndex(final CommandTable table) {
        this(table, null);
    }

    /**
     * The index of a data node's table plus {@code aclOnly}, commands that rules may name but that
     * never run here (null for none).
     */
    public AclCommandIndex(final CommandTable table, final CommandTable aclOnly) {
        this.table = table;
        this.aclOnly = aclOnly;
        this.realSpecs = table.allWithSubcommands().size();
        final List<CommandSpec> all = new ArrayList<>(table.allWithSubcommands());
        final List<CommandSpec> top = new ArrayList<>(table.commands());
        if (aclOnly != null) {
            for (final CommandSpec s : aclOnly.commands()) {
                if (table.lookup(s.name()) != null) {
                    throw new IllegalStateException("ACL-only command " + s.name() + " is implemented");
                }
            }
            all.addAll(aclOnly.allWithSubcommands());
            top.addAll(aclOnly.commands());
        }
        this.topLevel = Collections.unmodifiableList(top);
        this.specs = Collections.unmodifiableList(all);
        this.futureBit = specs.size();
        this.words = (futureBit >> 6) + 1;
        final AclCategory[] cats = AclCategory.values();
        categoryMask = new long[cats.length][words];
        categoryMembers = new long[cats.length][words];
        channelKind = new byte[realSpecs];
        keysRule = new byte[realSpecs];
        for (final CommandSpec s : specs) {
            for (final AclCategory cat : cats) {
                if (cat.in(s.aclCategories())) {
                    set(categoryMembers[cat.ordinal()], bit(s));
                    set(categoryMask[cat.ordinal()], bit(s));
                    for (final CommandSpec sub : s.subcommands().values()) {
                        set(categoryMask[cat.ordinal()], bit(sub));
                    }
                }
            }
        }
        for (final CommandSpec s : table.allWithSubcommands()) {
            channelKind[s.id()] = (byte) switch (s.name()) {
                case "publish", "spublish" -> CHANNELS_PUBLISH;
                case "subscribe", "ssubscribe" -> CHANNELS_SUBSCRIBE;
                case "psubscribe" -> CHANNELS_PATTERN;
                default -> CHANNELS_NONE;
            };
            keysRule[s.id()] = (byte) switch (s.name()) {
                case "set" -> KEYS_SET;
                case "bitfield" -> KEYS_BITFIELD;
                case "sort" -> KEYS_SORT;
                default -> KEYS_BY_SPECS;
            };
        }
    }

    static void set(final long[] bits, final int i) {
        bits[i >> 6] |= 1L << i;
    }

    static void clear(final long[] bits, final int i) {
        bits[i >> 6] &= ~(1L << i);
    }

    static boolean get(final long[] bits, final int i) {
        return (bits[i >> 6] & (1L << i)) != 0;
    }

    public CommandTable table() {
        return table;
    }

    /**
     * The bit of a command: its id for a real one (which the permission check uses directly),
     * after the real ones for an ACL-only one.
     */
    int bit(final CommandSpec s) {
        final int id = s.id();
        return id < realSpecs && specs.get(id) == s ? id : realSpecs + id;
    }

    /** The top-level commands, real then ACL-only, in declaration order (ACL GETUSER's walk). */
    List<CommandSpec> topLevel() {
        return topLevel;
    }

    List<CommandSpec> specs() {
        return specs;
    }

    int words() {
        return words;
    }

    int futureBit() {
        return futureBit;
    }

    long[] categoryMask(final AclCategory c) {
        return categoryMask[c.ordinal()];
    }

    long[] categoryMembers(final AclCategory c) {
        return categoryMembers[c.ordinal()];
    }

    int keysRule(final int id) {
        return keysRule[id];
    }

    int channelKind(final int id) {
        return channelKind[id];
    }

    /**
     * Redis's lookupCommandBySds for ACL rules: "name" or "container|sub", case-insensitive, a
     * real or an ACL-only command; null for anything else.
     */
    CommandSpec lookup(final String name) {
        final CommandSpec real = lookup(table, name);
        return real != null || aclOnly == null ? real : lookup(aclOnly, name);
    }

    private static CommandSpec lookup(final CommandTable t, final String name) {
        final int bar = name.indexOf('|');
        if (bar >= 0) {
            if (name.indexOf('|', bar + 1) >= 0) {
                return null;
            }
            final CommandSpec parent = t.lookup(name.substring(0, bar));
            return parent == null || !parent.isContainer() ? null : parent.subcommand(name.substring(bar + 1));
        }
        return t.lookup(name);
    }
}
