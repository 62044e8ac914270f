package dev.cinnabar.it.diff;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random sequence of string and key commands (with their error cases) sent to Cinnabar
 * and to a real redis-server; every reply must be the same bytes, and so must the final keyspace.
 * Knobs: see {@link DifferentialRunner}; families here are strings, keys, errors and types.
 */
class DifferentialStringsKeysIT extends DifferentialServers {
    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sameRepliesAsRedis(final int protocol) {
        DifferentialRunner.run("DifferentialStringsKeysIT", ours, redis, protocol, 3000,
            List.of(StringKeyOps.strings(), StringKeyOps.keys(), StringKeyOps.errors(), StringKeyOps.otherTypes()),
            List.<String[]>of(GenContext.KEYS), false);
    }
}
