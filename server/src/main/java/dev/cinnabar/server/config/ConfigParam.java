package dev.cinnabar.server.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One configuration parameter: name, aliases, default, whether CONFIG SET may change it, how its
 * value is parsed and shown, and the apply hook that writes the typed field the server reads.
 */
public final class ConfigParam {
    /** Parses text into the typed value and applies it; returns null or Redis's reason text. */
    @FunctionalInterface
    public interface Setter {
        String set(String value);
    }

    private final String name;
    private final List<String> aliases;
    private final boolean mutable;
    private final String defaultValue;
    private final Setter setter;
    private final Supplier<String> getter;
    private final boolean multiArg;

    ConfigParam(final String name, final List<String> aliases, final boolean mutable, final String defaultValue,
                final Setter setter, final Supplier<String> getter, final boolean multiArg) {
        this.name = name;
        this.aliases = aliases;
        this.mutable = mutable;
        this.defaultValue = defaultValue;
        this.setter = setter;
        this.getter = getter;
        this.multiArg = multiArg;
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

    // ---- typed factories -------------------------------------------------------------------

    public static Builder named(final String name) {
        return new Builder(name);
    }

    /** Fluent construction; each typed terminal builds the parsing rules Redis uses for that type. */
    public static final class Builder {
        private final String name;
        private List<String> aliases = List.of();
        private boolean mutable = true;
        private boolean multiArg;

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

        public Builder multiArg() {
            this.multiArg = true;
            return this;
        }

        public ConfigParam bool(final boolean def, final Consumer<Boolean> apply) {
            final boolean[] cur = {def};
            apply.accept(def);
            return new ConfigParam(name, aliases, mutable, def ? "yes" : "no", v -> {
                final String l = v.toLowerCase(Locale.ROOT);
                if (!l.equals("yes") && !l.equals("no")) {
                    return "argument must be 'yes' or 'no'";
                }
                cur[0] = l.equals("yes");
                apply.accept(cur[0]);
                return null;
            }, () -> cur[0] ? "yes" : "no", multiArg);
        }

        public ConfigParam integer(final long min, final long max, final long def, final Consumer<Long> apply) {
            final long[] cur = {def};
            apply.accept(def);
            return new ConfigParam(name, aliases, mutable, Long.toString(def), v -> {
                final long n;
                try {
                    n = Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return "argument couldn't be parsed into an integer";
                }
                if (n < min || n > max) {
                    return "argument must be between " + min + " and " + max + " inclusive";
                }
                cur[0] = n;
                apply.accept(n);
                return null;
            }, () -> Long.toString(cur[0]), multiArg);
        }

        /** A memory value: "1gb", "100mb", "512k" or bytes; CONFIG GET shows bytes. */
        public ConfigParam memory(final long min, final long max, final long def, final Consumer<Long> apply) {
            final long[] cur = {def};
            apply.accept(def);
            return new ConfigParam(name, aliases, mutable, Long.toString(def), v -> {
                final long n = MemoryUnits.parse(v);
                if (n == Long.MIN_VALUE) {
                    return "argument must be a memory value";
                }
                if (n < min || n > max) {
                    return "argument must be between " + min + " and " + max + " inclusive";
                }
                cur[0] = n;
                apply.accept(n);
                return null;
            }, () -> Long.toString(cur[0]), multiArg);
        }

        public ConfigParam string(final String def, final Consumer<String> apply) {
            final String[] cur = {def};
            apply.accept(def);
            return new ConfigParam(name, aliases, mutable, def, v -> {
                cur[0] = v;
                apply.accept(v);
                return null;
            }, () -> cur[0], multiArg);
        }

        public ConfigParam enumOf(final String def, final Consumer<String> apply, final String... allowed) {
            final String[] cur = {def};
            apply.accept(def);
            return new ConfigParam(name, aliases, mutable, def, v -> {
                final String l = v.toLowerCase(Locale.ROOT);
                for (final String a : allowed) {
                    if (a.equals(l)) {
                        cur[0] = l;
                        apply.accept(l);
                        return null;
                    }
                }
                return "argument(s) must be one of the following: " + String.join(", ", allowed);
            }, () -> cur[0], multiArg);
        }

        /** A parameter with its own parsing and display (save, client-output-buffer-limit, ...). */
        public ConfigParam custom(final String def, final Setter set, final Supplier<String> get) {
            final String err = set.set(def);
            if (err != null) {
                throw new IllegalStateException("bad default for " + name + ": " + err);
            }
            return new ConfigParam(name, aliases, mutable, def, set, get, multiArg);
        }
    }
}
