package dev.cinnabar.server.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.cinnabar.protocol.util.Bytes;

/**
 * One configuration parameter: name, aliases, default, whether CONFIG SET may change it, how its
 * value is parsed, shown and written back by CONFIG REWRITE, and the apply hook that writes the
 * typed field the server reads.
 */
public final class ConfigParam {
    /** Parses text into the typed value and applies it; returns null or Redis's reason text. */
    @FunctionalInterface
    public interface Setter {
        String set(String value);
    }

    /** The config-file lines (without the name) CONFIG REWRITE writes for a value. */
    @FunctionalInterface
    public interface Rewriter {
        List<String> lines(String value);
    }

    private final String name;
    private final List<String> aliases;
    private final boolean mutable;
    private final boolean protectedConfig;
    private final boolean accumulates;
    private final boolean hidden;
    private final String defaultValue;
    private final Setter setter;
    private final Supplier<String> getter;
    private final boolean multiArg;
    private final Rewriter rewriter;

    ConfigParam(final Builder b, final String defaultValue, final Setter setter, final Supplier<String> getter,
                final Rewriter rewriter) {
        this.name = b.name;
        this.aliases = b.aliases;
        this.mutable = b.mutable;
        this.protectedConfig = b.protectedConfig;
        this.accumulates = b.accumulates;
        this.hidden = b.hidden;
        this.multiArg = b.multiArg;
        this.defaultValue = defaultValue;
        this.setter = setter;
        this.getter = getter;
        this.rewriter = b.rewriter != null ? b.rewriter : rewriter;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public boolean mutable() {
        return mutable;
    }

    /** Refused by CONFIG SET unless enable-protected-configs allows it (dir, dbfilename). */
    public boolean protectedConfig() {
        return protectedConfig;
    }

    /** Repeated lines in one config file add up instead of replacing each other (save). */
    public boolean accumulates() {
        return accumulates;
    }

    /** Left out of CONFIG GET patterns, answered only when asked by name (Redis's HIDDEN_CONFIG). */
    public boolean hidden() {
        return hidden;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Parameters whose config-file line takes several words (save, client-output-buffer-limit). */
    public boolean multiArg() {
        return multiArg;
    }

    public String set(final String value) {
        return setter.set(value);
    }

    public String value() {
        return getter.get();
    }

    public boolean isDefault() {
        return value().equals(defaultValue);
    }

    /** The lines CONFIG REWRITE writes for the current value, each starting with the name. */
    public List<String> rewriteLines() {
        return rewriter.lines(value()).stream().map(l -> name + " " + l).toList();
    }

    public static Builder named(final String name) {
        return new Builder(name);
    }

    /** Redis's rewriteConfigFormatMemory: the largest exact binary unit. */
    static String formatMemory(final long bytes) {
        final long gb = 1024L * 1024 * 1024;
        if (bytes != 0 && bytes % gb == 0) {
            return bytes / gb + "gb";
        } else if (bytes != 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "mb";
        } else if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "kb";
        }
        return Long.toString(bytes);
    }

    /** Redis's sdscatrepr, as CONFIG REWRITE quotes strings. */
    public static String quote(final String s) {
        return dev.cinnabar.server.Repr.quote(s);
    }

    private static final Rewriter PLAIN = v -> List.of(v);
    private static final Rewriter QUOTED = v -> List.of(quote(v));
    private static final Rewriter MEMORY = v -> List.of(formatMemory(Long.parseLong(v)));

    /** Fluent construction; each typed terminal builds the parsing rules Redis uses for that type. */
    public static final class Builder {
        private final String name;
        private List<String> aliases = List.of();
        private boolean mutable = true;
        private boolean protectedConfig;
        private boolean accumulates;
        private boolean hidden;
        private boolean multiArg;
        private Rewriter rewriter;
        private long clampMin = Long.MIN_VALUE;
        private long clampMax = Long.MAX_VALUE;

        Builder(final String name) {
            this.name = name;
        }

        public Builder alias(final String... names) {
            this.aliases = List.of(names);
            return this;
        }

        public Builder immutable() {
            this.mutable = false;
            return this;
        }

        public Builder protectedConfig() {
            this.protectedConfig = true;
            return this;
        }

        public Builder hidden() {
            this.hidden = true;
            return this;
        }

        public Builder multiArg() {
            this.multiArg = true;
            return this;
        }

        public Builder accumulates() {
            this.accumulates = true;
            return this;
        }

        /** Overrides how CONFIG REWRITE writes the value (several lines, unquoted words...). */
        public Builder rewriteAs(final Rewriter r) {
            this.rewriter = r;
            return this;
        }

        /** An accepted integer is silently brought into [min, max] (Redis's hz). */
        public Builder clamp(final long min, final long max) {
            this.clampMin = min;
            this.clampMax = max;
            return this;
        }

        public ConfigParam bool(final boolean def, final Consumer<Boolean> apply) {
            final boolean[] cur = {def};
            apply.accept(def);
            return new ConfigParam(this, def ? "yes" : "no", v -> {
                final String l = v.toLowerCase(Locale.ROOT);
                if (!l.equals("yes") && !l.equals("no")) {
                    return "argument must be 'yes' or 'no'";
                }
                cur[0] = l.equals("yes");
                apply.accept(cur[0]);
                return null;
            }, () -> cur[0] ? "yes" : "no", PLAIN);
        }

        /** A value held only by the table, for features not built yet. */
        public ConfigParam bool(final boolean def) {
            return bool(def, v -> { });
        }

        public ConfigParam integer(final long min, final long max, final long def, final Consumer<Long> apply) {
            final long[] cur = {def};
            apply.accept(def);
            return new ConfigParam(this, Long.toString(def), v -> {
                final byte[] b = Bytes.utf8(v);
                if (!Bytes.isLong(b)) {
                    return "argument couldn't be parsed into an integer";
                }
                final long n = Bytes.parseLong(b);
                if (n < min || n > max) {
                    return "argument must be between " + min + " and " + max + " inclusive";
                }
                cur[0] = Math.max(clampMin, Math.min(clampMax, n));
                apply.accept(cur[0]);
                return null;
            }, () -> Long.toString(cur[0]), PLAIN);
        }

        public ConfigParam integer(final long min, final long max, final long def) {
            return integer(min, max, def, v -> { });
        }

        /** A memory value: "1gb", "100mb", "512k" or bytes; CONFIG GET shows bytes. */
        public ConfigParam memory(final long min, final long max, final long def, final Consumer<Long> apply) {
            final long[] cur = {def};
            apply.accept(def);
            return new ConfigParam(this, Long.toString(def), v -> {
                final long n = v.startsWith("-") ? Long.MIN_VALUE : MemoryUnits.parse(v);
                if (n == Long.MIN_VALUE) {
                    return "argument must be a memory value";
                }
                if (n < min || n > max) {
                    return "argument must be between " + min + " and " + max + " inclusive";
                }
                cur[0] = n;
                apply.accept(n);
                return null;
            }, () -> Long.toString(cur[0]), MEMORY);
        }

        public ConfigParam memory(final long min, final long max, final long def) {
            return memory(min, max, def, v -> { });
        }

        public ConfigParam string(final String def, final Consumer<String> apply) {
            final String[] cur = {def};
            apply.accept(def);
            return new ConfigParam(this, def, v -> {
                cur[0] = v;
                apply.accept(v);
                return null;
            }, () -> cur[0], QUOTED);
        }

        public ConfigParam string(final String def) {
            return string(def, v -> { });
        }

        public ConfigParam enumOf(final String def, final Consumer<String> apply, final String... allowed) {
            final String[] cur = {def};
            apply.accept(def);
            return new ConfigParam(this, def, v -> {
                final String l = v.toLowerCase(Locale.ROOT);
                for (final String a : allowed) {
                    if (a.equals(l)) {
                        cur[0] = l;
                        apply.accept(l);
                        return null;
                    }
                }
                return "argument(s) must be one of the following: " + String.join(", ", allowed);
            }, () -> cur[0], PLAIN);
        }

        public ConfigParam enumOf(final String def, final String... allowed) {
            return enumOf(def, v -> { }, allowed);
        }

        /** A parameter with its own parsing and display (save, client-output-buffer-limit, ...). */
        public ConfigParam custom(final String def, final Setter set, final Supplier<String> get) {
            final String err = set.set(def);
            if (err != null) {
                throw new IllegalStateException("bad default for " + name + ": " + err);
            }
            return new ConfigParam(this, get.get(), set, get, PLAIN);
        }
    }
}
