package dev.cinnabar.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table of configuration parameters behind the config file, "--name value" arguments,
 * CONFIG GET/SET/REWRITE and INFO. Names and defaults are Redis 7.0's.
 */
public final class ConfigTable {
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();
    private final Map<String, ConfigParam> byAlias = new LinkedHashMap<>();

    public ConfigTable add(final ConfigParam p) {
        if (byName.put(p.name(), p) != null) {
            throw new IllegalStateException("config declared twice: " + p.name());
        }
        for (final String a : p.aliases()) {
            byAlias.put(a, p);
        }
        return this;
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

    /**
     * Applies config-file lines (already split into words). Errors carry Redis's fatal-config text.
     */
    public void apply(final List<ConfigFileParser.Line> lines) throws ConfigException {
        for (final ConfigFileParser.Line line : lines) {
            final List<String> words = line.words();
            final ConfigParam p = find(words.get(0));
            String err;
            if (p == null) {
                err = "Bad directive or wrong number of arguments";
            } else if (!p.multiArg() && words.size() != 2) {
                err = "wrong number of arguments";
            } else {
                final String value = p.multiArg() ? String.join(" ", words.subList(1, words.size())) : words.get(1);
                err = p.set(value);
            }
            if (err != null) {
                throw new ConfigException(ConfigFileParser.fatal(line, err));
            }
        }
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }
}
