package dev.cinnabar.server.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Glob;
import dev.cinnabar.protocol.util.RawText;

/**
 * One set of permissions: the commands (a bit per command id, plus first arguments allowed for
 * otherwise blocked commands), the key patterns with their read/write flags, and the channel
 * patterns. A user has a root selector and any number of "(...)" selectors; a command runs when
 * one of them allows it entirely.
 *
 * <p>Invariants:
 * <ol>
 * <li>{@code allKeys} implies an empty pattern list ("~*" and allkeys empty it; a pattern added
 *     after it is refused); the same for {@code allChannels}.</li>
 * <li>{@code allCommands} is set by +@all and cleared by any rule removing a command, so the hot
 *     path can skip the bitset; the future-commands bit is separate (only -@all clears it).</li>
 * <li>Keys and channels are compared as bytes, the patterns with Redis's glob.</li>
 * </ol>
 * Redis: acl.c ACLSetSelector(), ACLSelectorCheckCmd(), ACLSelectorCheckKey(),
 * ACLCheckChannelAgainstList(), ACLDescribeSelectorCommandRules().
 */
public final class AclSelector {
    /** Key permissions of a pattern (Redis's ACL_READ_PERMISSION / ACL_WRITE_PERMISSION). */
    static final int READ = 1;
    static final int WRITE = 2;
    static final int ALL = READ | WRITE;

    /** Results of a check, ordered by relevance as Redis's ACL_DENIED_* codes. */
    static final int OK = 0;
    static final int DENIED_CMD = 1;
    static final int DENIED_KEY = 2;
    static final int DENIED_AUTH = 3;
    static final int DENIED_CHANNEL = 4;

    /** A key pattern and its permissions. */
    static final class KeyPattern {
        final String text;
        final byte[] bytes;
        /** For "literal*" (the usual ACL pattern) the literal's length, matched without the glob; else -1. */
        final int prefixOnly;
        int flags;

        KeyPattern(final String text, final int flags) {
            this.text = text;
            this.bytes = RawText.encode(text);
            this.prefixOnly = prefixOnly(bytes);
            this.flags = flags;
        }

        boolean matches(final byte[] buf, final int off, final int len) {
            if (prefixOnly >= 0) {
                // the glob never matches an empty string, not even with "*" (Redis's stringmatchlen)
                return len > 0 && len >= prefixOnly && Arrays.equals(bytes, 0, prefixOnly, buf, off, off + prefixOnly);
            }
            return Glob.match(bytes, 0, bytes.length, buf, off, len, false);
        }

        /** The literal length of a pattern that is a literal followed by one '*', or -1. */
        private static int prefixOnly(final byte[] p) {
            if (p.length == 0 || p[p.length - 1] != '*') {
                return -1;
            }
            for (int i = 0; i < p.length - 1; i++) {
                if (p[i] == '*' || p[i] == '?' || p[i] == '[' || p[i] == '\\') {
                    return -1;
                }
            }
            return p.length - 1;
        }

        String describe() {
            return switch (flags) {
                case READ -> "%R~" + text;
                case WRITE -> "%W~" + text;
                default -> "~" + text;
            };
        }
    }

    private final AclCommandIndex index;
    final long[] allowed;
    /** Per command id, the first arguments allowed while its bit is clear ("+select|0"); lazily made. */
    String[][] firstArgs;
    boolean allCommands;
    boolean allKeys;
    boolean allChannels;
    final List<KeyPattern> keys = new ArrayList<>();
    final List<String> channels = new ArrayList<>();
    final List<byte[]> channelBytes = new ArrayList<>();

    AclSelector(final AclCommandIndex index, final boolean allChannelsByDefault) {
        this.index = index;
        this.allowed = new long[index.words()];
        this.allChannels = allChannelsByDefault;
    }

    AclSelector copy() {
        final AclSelector s = new AclSelector(index, allChannels);
        System.arraycopy(allowed, 0, s.allowed, 0, allowed.length);
        if (firstArgs != null) {
            s.firstArgs = firstArgs.clone();
        }
        s.allCommands = allCommands;
        s.allKeys = allKeys;
        for (final KeyPattern k : keys) {
            s.keys.add(new KeyPattern(k.text, k.flags));
        }
        s.channels.addAll(channels);
        s.channelBytes.addAll(channelBytes);
        return s;
    }

    /** Everything allowed: the permission check is skipped. */
    boolean unrestricted() {
        return allCommands && allKeys && allChannels;
    }

    /** Applies one rule; throws with Redis's reason and leaves the selector partly changed. */
    void apply(final String op) throws AclException {
        final String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "allkeys" -> setAllKeys();
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
            }
            case "allchannels" -> {
                allChannels = true;
                channels.clear();
                channelBytes.clear();
            }
            case "resetchannels" -> {
                allChannels = false;
                channels.clear();
                channelBytes.clear();
            }
            case "allcommands", "+@all" -> {
                Arrays.fill(allowed, -1L);
                allCommands = true;
                firstArgs = null;
            }
            case "nocommands", "-@all" -> {
                Arrays.fill(allowed, 0L);
                allCommands = false;
                firstArgs = null;
            }
            default -> applyPattern(op);
        }
    }

    private void setAllKeys() {
        allKeys = true;
        keys.clear();
    }

    private void applyPattern(final String op) throws AclException {
        final char first = op.isEmpty() ? ' ' : op.charAt(0);
        if (first == '~' || first == '%') {
            addKeyPattern(op);
        } else if (first == '&') {
            if (allChannels) {
                throw new AclException(AclException.CHANNEL_AFTER_ALL);
            }
            final String ch = op.substring(1);
            if (ch.equals("*")) {
                allChannels = true;
                channels.clear();
                channelBytes.clear();
            } else if (!channels.contains(ch)) {
                channels.add(ch);
                channelBytes.add(RawText.encode(ch));
            }
        } else if ((first == '+' || first == '-') && op.length() > 1 && op.charAt(1) == '@') {
            final AclCategory cat = AclCategory.byName(op.substring(2));
            if (cat == null || op.substring(2).isEmpty()) {
                throw new AclException(AclException.UNKNOWN);
            }
            changeBits(index.categoryMask(cat), first == '+');
        } else if (first == '+' || first == '-') {
            applyCommand(op, first == '+');
        } else {
            throw new AclException(AclException.SYNTAX);
        }
    }

    private void addKeyPattern(final String op) throws AclException {
        if (allKeys) {
            throw new AclException(AclException.KEY_AFTER_ALL);
        }
        int flags = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                final char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (flags & READ) == 0) {
                    flags |= READ;
                } else if (ch == 'W' && (flags & WRITE) == 0) {
                    flags |= WRITE;
                } else if (ch == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclException(AclException.SYNTAX);
                }
            }
        } else {
            flags = ALL;
        }
        if (flags == 0) {
            throw new AclException(AclException.SYNTAX);
        }
        final String pattern = offset >= op.length() ? "" : op.substring(offset);
        if (op.equals("~*")) {
            setAllKeys();
            return;
        }
        for (final KeyPattern k : keys) {
            if (k.text.equals(pattern)) {
                k.flags |= flags;
                return;
            }
        }
        keys.add(new KeyPattern(pattern, flags));
    }

    /** +cmd, -cmd, +container|sub, -container|sub, +cmd|firstarg: Redis's rules and errors. */
    private void applyCommand(final String op, final boolean allow) throws AclException {
        final String name = op.substring(1);
        final int bar = name.lastIndexOf('|');
        if (!allow || bar < 0) {
            final CommandSpec spec = index.lookup(name);
            if (spec == null) {
                throw new AclException(AclException.UNKNOWN);
            }
            changePerm(spec, allow);
            return;
        }
        final CommandSpec cmd = index.lookup(name.substring(0, bar));
        if (cmd == null) {
            throw new AclException(AclException.UNKNOWN);
        }
        if (cmd.parent() != null) {
            throw new AclException(AclException.FIRSTARG_OF_SUB);
        }
        final String sub = name.substring(bar + 1);
        if (sub.isEmpty()) {
            throw new AclException(AclException.SYNTAX);
        }
        if (cmd.isContainer()) {
            final CommandSpec subSpec = cmd.subcommand(sub);
            if (subSpec == null) {
                throw new AclException(AclException.UNKNOWN);
            }
            changePerm(subSpec, true);
        } else {
            addFirstArg(index.bit(cmd), sub.toLowerCase(Locale.ROOT));
        }
    }

    private void addFirstArg(final int id, final String arg) {
        if (firstArgs == null) {
            firstArgs = new String[index.specs().size()][];
        }
        final String[] have = firstArgs[id];
        if (have == null) {
            firstArgs[id] = new String[] {arg};
            return;
        }
        for (final String s : have) {
            if (s.equals(arg)) {
                return;
            }
        }
        final String[] more = Arrays.copyOf(have, have.length + 1);
        more[have.length] = arg;
        firstArgs[id] = more;
    }

    /** Redis's ACLChangeSelectorPerm: the command, its first args reset, and all its subcommands. */
    void changePerm(final CommandSpec spec, final boolean allow) {
        final int b = index.bit(spec);
        bit(b, allow);
        if (firstArgs != null) {
            firstArgs[b] = null;
        }
        for (final CommandSpec sub : spec.subcommands().values()) {
            bit(index.bit(sub), allow);
        }
    }

    private void bit(final int id, final boolean allow) {
        if (allow) {
            AclCommandIndex.set(allowed, id);
        } else {
            AclCommandIndex.clear(allowed, id);
            allCommands = false;
        }
    }

    private void changeBits(final long[] mask, final boolean allow) {
        for (int w = 0; w < allowed.length; w++) {
            if (allow) {
                allowed[w] |= mask[w];
            } else if ((allowed[w] & mask[w]) != 0) {
                allowed[w] &= ~mask[w];
                allCommands = false;
            }
        }
        if (firstArgs != null) {
            final List<CommandSpec> specs = index.specs();
            for (int id = 0; id < specs.size(); id++) {
                if (AclCommandIndex.get(mask, id)) {
                    firstArgs[id] = null;
                }
            }
        }
    }

    /** For a command of the real table (whose bit is its id), the command-bit part of the check. */
    boolean commandAllowed(final CommandSpec spec, final Args args) {
        if (allCommands || spec.has(CommandFlag.NO_AUTH) || AclCommandIndex.get(allowed, spec.id())) {
            return true;
        }
        final String[] fa = firstArgs == null ? null : firstArgs[spec.id()];
        final int idx = spec.parent() != null ? 2 : 1;
        if (fa == null || args.count() <= idx) {
            return false;
        }
        for (final String s : fa) {
            if (args.is(idx, s.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Redis's ACLSelectorCheckKey: a pattern counts only when it grants every needed permission. */
    boolean keyAllowed(final byte[] buf, final int off, final int len, final int needed) {
        if (allKeys) {
            return true;
        }
        for (final KeyPattern k : keys) {
            if ((k.flags & needed) == needed && k.matches(buf, off, len)) {
                return true;
            }
        }
        return false;
    }

    /** Every key may be read: allkeys, or the pattern "*" with read permission. */
    boolean readsAnyKey() {
        if (allKeys) {
            return true;
        }
        for (final KeyPattern k : keys) {
            if ((k.flags & READ) != 0 && k.text.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** Channels match the rules as globs; a subscribed pattern must equal a rule literally. */
    boolean channelAllowed(final byte[] buf, final int off, final int len, final boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (final byte[] p : channelBytes) {
            if (isPattern ? Arrays.equals(p, 0, p.length, buf, off, off + len)
                : Glob.match(p, 0, p.length, buf, off, len, false)) {
                return true;
            }
        }
        return false;
    }

    /** The key rules as GETUSER shows them ("~*", "~a %R~b" or empty). */
    String describeKeys() {
        return allKeys ? "~*" : String.join(" ", keys.stream().map(KeyPattern::describe).toList());
    }

    /** The channel rules as GETUSER shows them ("&*", "&a &b" or empty). */
    String describeChannels() {
        return allChannels ? "&*" : String.join(" ", channels.stream().map(ch -> "&" + ch).toList());
    }

    /** The selector as ACL LIST writes it: keys, channels (with resetchannels), commands. */
    String describe() {
        final StringBuilder sb = new StringBuilder();
        final String k = describeKeys();
        if (!k.isEmpty()) {
            sb.append(k).append(' ');
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            final String ch = describeChannels();
            if (!ch.isEmpty()) {
                sb.append(ch).append(' ');
            }
        }
        sb.append(describeCommands());
        return sb.toString();
    }

    /**
     * Redis's ACLDescribeSelectorCommandRules: +@all or -@all, then the best-fitting categories
     * one by one, then single commands (and first args) to make the bitmap exact. Redis walks
     * its command dict in hash order for the single commands; we walk declaration order.
     */
    String describeCommands() {
        final StringBuilder rules = new StringBuilder();
        final boolean additive = !AclCommandIndex.get(allowed, index.futureBit());
        final AclSelector fake = new AclSelector(index, false);
        final long[] temp = allowed.clone();
        rules.append(additive ? "-@all " : "+@all ");
        if (!additive) {
            Arrays.fill(fake.allowed, -1L);
        }
        final AclCategory[] cats = AclCategory.values();
        final boolean[] applied = new boolean[cats.length];
        while (true) {
            int best = -1;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (int j = 0; j < cats.length; j++) {
                if (applied[j]) {
                    continue;
                }
                final long[] members = index.categoryMembers(cats[j]);
                long on = 0;
                long off = 0;
                for (int w = 0; w < temp.length; w++) {
                    on += Long.bitCount(members[w] & temp[w]);
                    off += Long.bitCount(members[w] & ~temp[w]);
                }
                final long diff = additive ? off : on;
                final long same = additive ? on : off;
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = j;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best < 0) {
                break;
            }
            final long[] mask = index.categoryMask(cats[best]);
            for (int w = 0; w < temp.length; w++) {
                if (additive) {
                    fake.allowed[w] |= mask[w];
                    temp[w] &= ~mask[w];
                } else {
                    fake.allowed[w] &= ~mask[w];
                    temp[w] |= mask[w];
                }
            }
            rules.append(additive ? "+@" : "-@").append(cats[best].wireName()).append(' ');
            applied[best] = true;
        }
        for (final CommandSpec spec : index.topLevel()) {
            describeSingle(spec, fake, rules);
        }
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private void describeSingle(final CommandSpec spec, final AclSelector fake, final StringBuilder rules) {
        final int b = index.bit(spec);
        final boolean userBit = AclCommandIndex.get(allowed, b);
        if (userBit != AclCommandIndex.get(fake.allowed, b)) {
            rules.append(userBit ? '+' : '-').append(spec.name()).append(' ');
            fake.changePerm(spec, userBit);
        }
        if (!userBit && firstArgs != null && firstArgs[b] != null) {
            for (final String arg : firstArgs[b]) {
                rules.append('+').append(spec.name()).append('|').append(arg).append(' ');
            }
        }
        for (final CommandSpec sub : spec.subcommands().values()) {
            describeSingle(sub, fake, rules);
        }
    }
}
