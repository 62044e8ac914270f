package dev.cinnabar.protocol.command;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;

/**
 * One command, declared once: name, arity, flags, key specs, ACL categories, documentation and the
 * handler. COMMAND, ACL, MULTI queueing, the replica read-only check, propagation and statistics
 * all read this object. A container command (CONFIG, CLIENT, ...) holds its subcommands, each a
 * spec of its own named "parent|sub" as Redis names them.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final byte[] upperName;
    private final int arity;
    private final long flags;
    private final long aclCategories;
    private final List<KeySpec> keySpecs;
    private final String group;
    private final String since;
    private final String summary;
    private final String complexity;
    private final List<String> tips;
    private final Map<String, CommandSpec> subcommands;
    private final CommandHandler<?> handler;
    private final CommandSpec parent;
    private int id = -1;

    CommandSpec(final CommandTable.CommandBuilder b, final CommandSpec parent, final Map<String, CommandSpec> subs) {
        this.name = b.name.toLowerCase(Locale.ROOT);
        this.parent = parent;
        this.fullName = parent == null ? name : parent.name + "|" + name;
        this.upperName = Bytes.ascii(b.name.toUpperCase(Locale.ROOT));
        this.arity = b.arity;
        long f = b.flags;
        for (final KeySpec k : b.keySpecs) {
            if (k.movable()) {
                f |= CommandFlag.MOVABLE_KEYS.bit();
            }
        }
        this.flags = f;
        this.aclCategories = AclCategory.implied(f, b.acl);
        this.keySpecs = List.copyOf(b.keySpecs);
        this.group = b.group;
        this.since = b.since;
        this.summary = b.summary;
        this.complexity = b.complexity;
        this.tips = List.copyOf(b.tips);
        this.subcommands = subs == null ? Collections.emptyMap() : Collections.unmodifiableMap(subs); // filled by the builder
        this.handler = b.handler;
    }

    /** Lower-case name, as COMMAND replies it ("get", or "config|get" for a subcommand). */
    public String name() {
        return fullName;
    }

    /** The name within its parent ("get" for CONFIG GET). */
    public String shortName() {
        return name;
    }

    public byte[] upperName() {
        return upperName;
    }

    public int arity() {
        return arity;
    }

    public long flags() {
        return flags;
    }

    public boolean has(final CommandFlag flag) {
        return flag.in(flags);
    }

    public long aclCategories() {
        return aclCategories;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public String group() {
        return group;
    }

    public String since() {
        return since;
    }

    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    public List<String> tips() {
        return tips;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public CommandSpec parent() {
        return parent;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public CommandHandler<?> handler() {
        return handler;
    }

    /** Dense id, assigned by the table: index for per-command statistics and ACL bitsets. */
    public int id() {
        return id;
    }

    void id(final int id) {
        this.id = id;
    }

    /** Arity check as Redis does it: exact when positive, at least |arity| when negative. */
    public boolean arityOk(final int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** The subcommand named by argument 1, or null. */
    public CommandSpec subcommand(final Args args) {
        if (args.count() < 2) {
            return null;
        }
        for (final CommandSpec s : subcommands.values()) {
            if (args.is(1, s.upperName)) {
                return s;
            }
        }
        return null;
    }

    public CommandSpec subcommand(final String sub) {
        return subcommands.get(sub.toLowerCase(Locale.ROOT));
    }

    /** Runs the handler. See {@link CommandHandler} for why the cast is sound. */
    @SuppressWarnings("unchecked")
    public <C extends CommandCall> void invoke(final C call, final Args args) {
        ((CommandHandler<C>) handler).handle(call, args);
    }

    /** Legacy first key index of COMMAND INFO, derived from the first key spec as Redis does. */
    public int firstKey() {
        final KeySpec k = legacySpec();
        return k == null ? 0 : k.beginIndex();
    }

    public int lastKey() {
        final KeySpec k = legacySpec();
        if (k == null) {
            return 0;
        }
        return k.lastKey() < 0 ? k.lastKey() : k.beginIndex() + k.lastKey();
    }

    public int keyStep() {
        final KeySpec k = legacySpec();
        return k == null ? 0 : k.keyStep();
    }

    /**
     * Redis's populateCommandLegacyRangeSpec: the legacy triple covers the leading index/range
     * specs only, and is 0,0,0 when the first spec is movable.
     */
    private KeySpec legacySpec() {
        if (keySpecs.isEmpty()) {
            return null;
        }
        final KeySpec first = keySpecs.get(0);
        if (first.movable() || first.limit() > 0) {
            return null;
        }
        int last = first.lastKey() < 0 ? first.lastKey() : first.beginIndex() + first.lastKey();
        int begin = first.beginIndex();
        int step = first.keyStep();
        for (int i = 1; i < keySpecs.size(); i++) {
            final KeySpec k = keySpecs.get(i);
            if (k.movable() || k.limit() > 0) {
                continue;
            }
            final int kl = k.lastKey() < 0 ? k.lastKey() : k.beginIndex() + k.lastKey();
            if (kl < 0 || last < 0) {
                // a spec to the end of the argument list absorbs the others
                if (k.keyStep() != step) {
                    continue;
                }
                last = -1;
            } else if (k.beginIndex() == last + step && k.keyStep() == step) {
                last = kl;
            } else if (k.beginIndex() == last + 1 && step == 1 && k.keyStep() == 1) {
                last = kl;
            }
        }
        return new KeySpec(first.flags(), begin, null, 0, false, last < 0 ? last : last - begin, step, 0, 0, 0, null);
    }

    /**
     * The positions of the keys in {@code args} by this command's key specs (Redis's
     * getKeysFromCommandWithSpecs), into {@code out}; {@code specOf}, when not null, receives the
     * index of the spec that found each. Returns the count, or 0 when a complete spec could not be
     * applied. {@code out} needs room for {@code args.count() * max(1, keySpecs().size())}.
     */
    public int keyPositions(final Args args, final int[] out, final int[] specOf) {
        int n = 0;
        for (int k = 0; k < keySpecs.size(); k++) {
            final KeySpec ks = keySpecs.get(k);
            final int added = ks.keys(args, out, n);
            if (added < 0) {
                if ((ks.flags() & KeySpec.INCOMPLETE) != 0) {
                    continue;
                }
                return 0;
            }
            if (specOf != null) {
                for (int i = n; i < n + added; i++) {
                    specOf[i] = k;
                }
            }
            n += added;
        }
        return n;
    }
}
