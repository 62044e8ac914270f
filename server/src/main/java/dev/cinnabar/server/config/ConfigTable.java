package dev.cinnabar.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.cinnabar.protocol.util.Glob;

/**
 * The one table of configuration parameters behind the config file, "--name value" arguments,
 * CONFIG GET/SET/REWRITE and INFO. Names and defaults are Redis 7.0's.
 *
 * <p>CONFIG SET is all-or-nothing as in Redis's configSetCommand: every name is checked first,
 * then every value is set, then the runtime effects are applied; a failure at any step restores
 * the previous values (and re-applies them) before the error is returned.
 */
public final class ConfigTable {
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();
    private final Map<String, ConfigParam> byAlias = new LinkedHashMap<>();
    /** The "user" lines read so far: name then rules. */
    private final List<List<String>> userLines = new ArrayList<>();

    public ConfigTable add(final ConfigParam p) {
        if (byName.put(p.name(), p) != null) {
            throw new IllegalStateException("config declared twice: " + p.name());
        }
        for (final String a : p.aliases()) {
            byAlias.put(a, p);
        }
        return this;
    }

    /** The "user name rules..." lines of the config files, without the "user" word. */
    public List<List<String>> userLines() {
        return Collections.unmodifiableList(userLines);
    }

    /** By name or alias, case-insensitively. */
    public ConfigParam find(final String name) {
        final String n = name.toLowerCase(Locale.ROOT);
        final ConfigParam p = byName.get(n);
        return p != null ? p : byAlias.get(n);
    }

    public Collection<ConfigParam> params() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** Alias names and their params, for CONFIG GET patterns that match an alias. */
    public Map<String, ConfigParam> aliases() {
        return Collections.unmodifiableMap(byAlias);
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Applies config-file lines (already split into words). Errors carry Redis's fatal-config text.
     * Repeated lines of an accumulating parameter (save) add up within one load.
     */
    public void apply(final List<ConfigFileParser.Line> lines) throws ConfigException {
        final Map<ConfigParam, String> accumulated = new LinkedHashMap<>();
        for (final ConfigFileParser.Line line : lines) {
            final List<String> words = line.words();
            if (words.get(0).equalsIgnoreCase("user") && words.size() >= 2) {
                // ACL users are created by the ACL once the command table exists (Redis's ACLAppendUserForLoading)
                for (final List<String> u : userLines) {
                    if (u.get(0).equals(words.get(1))) {
                        throw new ConfigException(ConfigFileParser.fatal(line, "Error in user declaration '"
                            + words.get(1) + "': Duplicate user found. A user can only be defined once in config files"));
                    }
                }
                userLines.add(List.copyOf(words.subList(1, words.size())));
                continue;
            }
            final ConfigParam p = find(words.get(0));
            String err;
            if (p == null) {
                err = "Bad directive or wrong number of arguments";
            } else if (!p.multiArg() && words.size() != 2) {
                err = "wrong number of arguments";
            } else {
                // a multi-arg parameter given as one argument is split at its spaces, as Redis 7.0 does
                String value = !p.multiArg() || words.size() == 2 ? words.get(1)
                    : joinWords(words.subList(1, words.size()));
                if (p.accumulates()) {
                    final String before = accumulated.get(p);
                    value = before == null || before.isEmpty() ? value : value.isEmpty() ? before : before + " " + value;
                    accumulated.put(p, value);
                }
                err = p.set(value);
            }
            if (err != null) {
                throw new ConfigException(ConfigFileParser.fatal(line, err));
            }
        }
    }

    /** Words back into one value a multi-arg setter splits again; words with blanks stay quoted. */
    private static String joinWords(final List<String> words) {
        final StringBuilder sb = new StringBuilder();
        for (final String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(w.isEmpty() || w.chars().anyMatch(Character::isWhitespace) ? ConfigParam.quote(w) : w);
        }
        return words.size() == 1 && words.get(0).isEmpty() ? "" : sb.toString();
    }

    /**
     * CONFIG GET: names and values matching any of the patterns, each parameter once. A pattern
     * without glob characters is an exact lookup and answers under the name as asked.
     */
    public Map<String, String> get(final List<String> patterns) {
        final Map<String, String> out = new LinkedHashMap<>();
        final Set<String> seen = new LinkedHashSet<>();
        for (final String pattern : patterns) {
            if (pattern.chars().noneMatch(ch -> ch == '*' || ch == '?' || ch == '[')) {
                final ConfigParam p = find(pattern);
                if (p != null && seen.add(pattern)) {
                    out.put(pattern, p.value());
                }
                continue;
            }
            for (final ConfigParam p : byName.values()) {
                if (!p.hidden() && Glob.match(pattern.getBytes(), p.name().getBytes(), true) && seen.add(p.name())) {
                    out.put(p.name(), p.value());
                }
            }
            for (final Map.Entry<String, ConfigParam> a : byAlias.entrySet()) {
                if (!a.getValue().hidden() && Glob.match(pattern.getBytes(), a.getKey().getBytes(), true)
                    && seen.add(a.getKey())) {
                    out.put(a.getKey(), a.getValue().value());
                }
            }
        }
        return out;
    }

    /**
     * CONFIG SET of name/value pairs, atomically. {@code runtime} applies the effects that need the
     * running server (rebinding, log level...) for the changed parameters and returns null or
     * {param, reason}. Returns null on success or the complete error reply text.
     */
    public String setAll(final List<String[]> pairs, final boolean allowProtected,
                         final Function<Set<ConfigParam>, Object[]> runtime) {
        final Map<ConfigParam, String[]> chosen = new LinkedHashMap<>();
        for (final String[] pair : pairs) {
            final ConfigParam p = find(pair[0]);
            if (p == null) {
                return "ERR Unknown option or number of arguments for CONFIG SET - '" + pair[0] + "'";
            }
            if (!p.mutable()) {
                return failed(pair[0], "can't set immutable config");
            }
            if (p.protectedConfig() && !allowProtected) {
                return failed(pair[0], "can't set protected config");
            }
            if (chosen.containsKey(p)) {
                return failed(pair[0], "duplicate parameter");
            }
            chosen.put(p, pair);
        }
        final Map<ConfigParam, String> old = new LinkedHashMap<>();
        for (final Map.Entry<ConfigParam, String[]> e : chosen.entrySet()) {
            final ConfigParam p = e.getKey();
            old.put(p, p.value());
            final String err = p.set(e.getValue()[1]);
            if (err != null) {
                restore(old);
                return failed(e.getValue()[0], err);
            }
        }
        // like Redis, runtime effects run only for the values that really changed
        final Set<ConfigParam> changed = new LinkedHashSet<>();
        old.forEach((p, v) -> {
            if (!p.value().equals(v)) {
                changed.add(p);
            }
        });
        final Object[] err = runtime.apply(changed);
        if (err != null) {
            restore(old);
            runtime.apply(changed);
            return failed(chosen.get((ConfigParam) err[0])[0], (String) err[1]);
        }
        return null;
    }

    private static void restore(final Map<ConfigParam, String> old) {
        old.forEach(ConfigParam::set);
    }

    private static String failed(final String arg, final String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + arg + "') - " + reason;
    }
}
