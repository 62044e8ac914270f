package dev.cinnabar.protocol.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cinnabar.protocol.util.Bytes;

/**
 * The command table: every spec, looked up by the case-folded bytes of argv[0] without building a
 * String (an open-addressing table keyed by the upper-case name).
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName;
    private final CommandSpec[] slots;
    private final int mask;
    private final List<CommandSpec> all;

    private CommandTable(final Map<String, CommandSpec> byName) {
        this.byName = Collections.unmodifiableMap(byName);
        int size = 16;
        while (size < byName.size() * 4) {
            size <<= 1;
        }
        this.slots = new CommandSpec[size];
        this.mask = size - 1;
        final List<CommandSpec> everything = new ArrayList<>();
        int id = 0;
        for (final CommandSpec spec : byName.values()) {
            spec.id(id++);
            everything.add(spec);
            for (final CommandSpec sub : spec.subcommands().values()) {
                sub.id(id++);
                everything.add(sub);
            }
            final byte[] n = spec.upperName();
            int i = Bytes.hash(n) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = spec;
        }
        this.all = Collections.unmodifiableList(everything);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Looks a command up by the bytes of its name, ASCII case-insensitively. */
    public CommandSpec lookup(final byte[] buf, final int off, final int len) {
        if (len > 64) {
            return null;
        }
        int h = 1;
        for (int k = off, end = off + len; k < end; k++) {
            h = 31 * h + Bytes.upper(buf[k]);
        }
        h ^= h >>> 16;
        int i = h & mask;
        CommandSpec s;
        while ((s = slots[i]) != null) {
            if (Bytes.equalsIgnoreCase(s.upperName(), buf, off, len)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public CommandSpec lookup(final String name) {
        final int bar = name.indexOf('|');
        if (bar >= 0) {
            final CommandSpec parent = byName.get(name.substring(0, bar).toLowerCase(Locale.ROOT));
            return parent == null ? null : parent.subcommand(name.substring(bar + 1));
        }
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Top-level commands in declaration order. */
    public Collection<CommandSpec> commands() {
        return byName.values();
    }

    /** Every command and subcommand; index = {@link CommandSpec#id()}. */
    public List<CommandSpec> allWithSubcommands() {
        return all;
    }

    public int size() {
        return byName.size();
    }

    /** Collects the families' declarations. */
    public static final class Builder {
        private final Map<String, CommandBuilder> pending = new LinkedHashMap<>();

        public Builder register(final CommandFamily family) {
            family.register(this);
            return this;
        }

        public CommandBuilder command(final String name) {
            final CommandBuilder b = new CommandBuilder(name);
            if (pending.put(name.toLowerCase(Locale.ROOT), b) != null) {
                throw new IllegalStateException("command declared twice: " + name);
            }
            return b;
        }

        /** Drops commands that fail the filter (e.g. the sentinel's table keeps SENTINEL-flagged ones). */
        public CommandTable build(final java.util.function.LongPredicate keepFlags) {
            final Map<String, CommandSpec> specs = new LinkedHashMap<>();
            for (final Map.Entry<String, CommandBuilder> e : pending.entrySet()) {
                final CommandBuilder b = e.getValue();
                if (!keepFlags.test(b.flags)) {
                    continue;
                }
                specs.put(e.getKey(), b.build(null));
            }
            return new CommandTable(specs);
        }

        public CommandTable build() {
            return build(flags -> !CommandFlag.ONLY_SENTINEL.in(flags));
        }
    }

    /** Fluent declaration of one command; see {@link CommandFamily}. */
    public static final class CommandBuilder {
        final String name;
        int arity;
        long flags;
        long acl;
        final List<KeySpec> keySpecs = new ArrayList<>();
        String group = "generic";
        String since = "1.0.0";
        String summary = "";
        String complexity = "";
        final List<String> tips = new ArrayList<>();
        CommandHandler<?> handler;
        final List<CommandBuilder> subs = new ArrayList<>();

        CommandBuilder(final String name) {
            this.name = name;
        }

        public CommandBuilder arity(final int n) {
            this.arity = n;
            return this;
        }

        public CommandBuilder flags(final CommandFlag... fs) {
            for (final CommandFlag f : fs) {
                flags |= f.bit();
            }
            return this;
        }

        public CommandBuilder acl(final AclCategory... cs) {
            for (final AclCategory c : cs) {
                acl |= c.bit();
            }
            return this;
        }

        public CommandBuilder keys(final KeySpec... specs) {
            keySpecs.addAll(List.of(specs));
            return this;
        }

        public CommandBuilder group(final String g) {
            this.group = g;
            return this;
        }

        public CommandBuilder since(final String v) {
            this.since = v;
            return this;
        }

        public CommandBuilder summary(final String s) {
            this.summary = s;
            return this;
        }

        public CommandBuilder complexity(final String c) {
            this.complexity = c;
            return this;
        }

        public CommandBuilder tips(final String... t) {
            tips.addAll(List.of(t));
            return this;
        }

        public <C extends CommandCall> CommandBuilder handler(final CommandHandler<C> h) {
            this.handler = h;
            return this;
        }

        /** Declares a subcommand ("CONFIG GET"); it inherits the parent's group and since. */
        public CommandBuilder subcommand(final String sub) {
            final CommandBuilder b = new CommandBuilder(sub);
            b.group = group;
            b.since = since;
            subs.add(b);
            return b;
        }

        CommandSpec build(final CommandSpec parent) {
            if (handler == null && subs.isEmpty()) {
                throw new IllegalStateException("command without handler: " + name);
            }
            if (arity == 0) {
                throw new IllegalStateException("command without arity: " + name);
            }
            final Map<String, CommandSpec> subSpecs = new LinkedHashMap<>();
            final CommandSpec self = new CommandSpec(this, parent, subSpecs);
            for (final CommandBuilder s : subs) {
                subSpecs.put(s.name.toLowerCase(Locale.ROOT), s.build(self));
            }
            return self;
        }
    }
}
