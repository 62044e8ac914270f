package dev.cinnabar.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ConfigTableTest {
    private final ServerConfig config = new ServerConfig();
    private final ConfigTable table = ConfigDefinitions.table(config);

    /** CONFIG GET * of a real Redis 7.0.15 started with no options (port and dir left out). */
    private static Map<String, String> redisDefaults() throws IOException {
        final Map<String, String> m = new TreeMap<>();
        try (InputStream in = ConfigTableTest.class.getResourceAsStream("/redis-7.0.15-config-defaults.tsv")) {
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                final int tab = line.indexOf('\t');
                m.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return m;
    }

    @Test
    void configGetStarListsRedisNamesAndDefaults() throws IOException {
        final Map<String, String> ours = new TreeMap<>(table.get(List.of("*")));
        ours.remove("port");
        ours.remove("dir");
        assertThat(ours).isEqualTo(redisDefaults());
    }

    @Test
    void getMatchesGlobsCaseInsensitivelyAndEchoesExactNames() {
        assertThat(table.get(List.of("HZ"))).containsExactly(Map.entry("HZ", "10"));
        assertThat(table.get(List.of("slaveof"))).containsExactly(Map.entry("slaveof", ""));
        assertThat(table.get(List.of("HZ*", "nosuch"))).containsExactly(Map.entry("hz", "10"));
        assertThat(table.get(List.of("maxmemory-p*", "maxmemory-policy")).keySet())
            .containsExactly("maxmemory-policy");
    }

    @Test
    void setIsAtomicAndUsesRedisErrors() {
        final Map<String, String> before = new LinkedHashMap<>(table.get(List.of("*")));
        assertThat(set("hz", "5", "maxmemory-policy", "bad")).isEqualTo("ERR CONFIG SET failed (possibly related to "
            + "argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, "
            + "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
        assertThat(table.get(List.of("*"))).isEqualTo(before);
        assertThat(set("nosuch", "1")).isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
        assertThat(set("hz", "5", "hz", "6"))
            .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter");
        assertThat(set("databases", "3"))
            .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
        assertThat(set("dir", "/tmp"))
            .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
        assertThat(set("maxclients", "0")).endsWith("argument must be between 1 and 4294967295 inclusive");
        assertThat(set("maxmemory", "-1")).endsWith("argument must be a memory value");
        assertThat(set("notify-keyspace-events", "Z"))
            .endsWith("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        assertThat(set("save", "1")).endsWith("Invalid save parameters");
        assertThat(set("client-output-buffer-limit", "foo 1 2 3"))
            .endsWith("Invalid client class specified in buffer limit configuration.");
    }

    @Test
    void setNormalizesValuesAsRedisShowsThem() {
        assertThat(set("hz", "600", "notify-keyspace-events", "KEA", "maxmemory", "1gb",
            "client-output-buffer-limit", "replica 1mb 2mb 3", "shutdown-on-sigterm", "force now save")).isNull();
        assertThat(table.get(List.of("hz", "notify-keyspace-events", "maxmemory", "client-output-buffer-limit",
            "shutdown-on-sigterm"))).containsExactly(
            Map.entry("hz", "500"), Map.entry("notify-keyspace-events", "AKE"), Map.entry("maxmemory", "1073741824"),
            Map.entry("client-output-buffer-limit",
                "normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60"),
            Map.entry("shutdown-on-sigterm", "save now force"));
        assertThat(config.hz).isEqualTo(500);
        assertThat(config.storage.maxmemory).isEqualTo(1L << 30);
    }

    @Test
    void runtimeFailureRollsBack() {
        final String err = table.setAll(List.<String[]>of(new String[] {"port", "7777"}, new String[] {"hz", "7"}),
            false, changed -> new Object[] {table.find("port"), "Unable to listen on this port"});
        assertThat(err).isEqualTo("ERR CONFIG SET failed (possibly related to argument 'port') - "
            + "Unable to listen on this port");
        assertThat(config.port).isEqualTo(6379);
        assertThat(config.hz).isEqualTo(10);
    }

    private String set(final String... pairs) {
        final List<String[]> p = new java.util.ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.add(new String[] {pairs[i], pairs[i + 1]});
        }
        return table.setAll(p, false, changed -> null);
    }
}
