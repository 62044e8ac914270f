package dev.cinnabar.server.acl;

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
 * <li>Bit {@code id} is the spec of that id in {@link CommandTable#allWithSubcommands()}; bit
 *     {@link #futureBit()} is set only by +@all / allcommands (Redis's last bit).</li>
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
    private final List<CommandSpec> specs;
    private final int words;
    private final int futureBit;
    private final long[][] categoryMask;
    private final long[][] categoryMembers;
    private final byte[] channelKind;
    private final byte[] keysRule;

    public AclCommandIndex(final CommandTable table) {
        this.table = table;
        this.specs = table.allWithSubcommands();
        this.futureBit = specs.size();
        this.words = (futureBit >> 6) + 1;
        final AclCategory[] cats = AclCategory.values();
        categoryMask = new long[cats.length][words];
        categoryMembers = new long[cats.length][words];
        channelKind = new byte[specs.size()];
        keysRule = new byte[specs.size()];
        for (final CommandSpec s : specs) {
            for (final AclCategory cat : cats) {
                if (cat.in(s.aclCategories())) {
                    set(categoryMembers[cat.ordinal()], s.id());
                    set(categoryMask[cat.ordinal()], s.id());
                    for (final CommandSpec sub : s.subcommands().values()) {
                        set(categoryMask[cat.ordinal()], sub.id());
                    }
                }
            }
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
     * Redis's lookupCommandBySds for ACL rules: "name" or "container|sub", case-insensitive;
     * null for anything else.
     */
    CommandSpec lookup(final String name) {
        final int bar = name.indexOf('|');
        if (bar >= 0) {
            if (name.indexOf('|', bar + 1) >= 0) {
                return null;
            }
            final CommandSpec parent = table.lookup(name.substring(0, bar));
            return parent == null || !parent.isContainer() ? null : parent.subcommand(name.substring(bar + 1));
        }
        return table.lookup(name);
    }
}
