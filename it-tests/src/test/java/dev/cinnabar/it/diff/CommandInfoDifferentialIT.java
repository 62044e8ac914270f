package dev.cinnabar.it.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Test;

/**
 * COMMAND INFO of every command Cinnabar serves, byte for byte against a real redis-server: arity, flags, the legacy
 * key positions, ACL categories, tips and every key spec (notes, flags, begin_search, find_keys), one subcommand at a
 * time for containers (Redis lists a container's subcommands in its hash table's order, which varies by process).
 */
class CommandInfoDifferentialIT extends DifferentialServers {
    @Test
    void everyCommandDescribesItselfAsInRedis() {
        final Map<String, String> theirs = new TreeMap<>();
        final Map<String, String> mine = new TreeMap<>();
        try (RespClient r = redis.client(); RespClient o = ours.client()) {
            final List<String> names = new ArrayList<>();
            for (final String name : list(o)) {
                final List<String> subs = subcommands(o, name);
                names.addAll(subs.isEmpty() ? List.of(name) : subs);
            }
            assertThat(names).hasSizeGreaterThan(200).contains("sort", "set", "client|kill");
            for (final String name : names) {
                final String redisInfo = r.text("COMMAND", "INFO", name);
                if (redisInfo.equals("*1\r\n*-1\r\n")) {
                    continue; // Cinnabar-only (none today) or renamed
                }
                theirs.put(name, redisInfo);
                mine.put(name, o.text("COMMAND", "INFO", name));
            }
        }
        assertThat(mine).isEqualTo(theirs);
    }

    private static List<String> list(final RespClient c) {
        final List<String> out = new ArrayList<>();
        for (final String line : c.text("COMMAND", "LIST").split("\r\n")) {
            if (!line.startsWith("*") && !line.startsWith("$")) {
                out.add(line);
            }
        }
        return out;
    }

    /** The "name|sub" entries of a container's COMMAND INFO, or none. */
    private static List<String> subcommands(final RespClient c, final String name) {
        final List<String> out = new ArrayList<>();
        for (final String line : new String(c.call("COMMAND", "INFO", name), StandardCharsets.ISO_8859_1)
            .split("\r\n")) {
            if (line.startsWith(name + "|")) {
                out.add(line);
            }
        }
        return out;
    }
}
