package dev.cinnabar.it.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random sequence of string and key commands (with their error cases) sent to Cinnabar
 * and to a real redis-server; every reply must be the same bytes, and so must the final keyspace.
 *
 * <p>Knobs: {@code -Ddiff.seed=N} replays a run (the seed is printed), {@code -Ddiff.ops=N} sets the
 * length, {@code -Ddiff.families=strings,keys,errors,types} restricts the ops, and
 * {@code -Ddiff.keepGoing=true} lists every mismatch instead of stopping at the first, and
 * {@code -Dcinnabar.it.target=redis} runs Redis against Redis, which checks the generator is deterministic.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class DifferentialStringsKeysIT {
    private static RealRedis redis;
    private static NodeProcess ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        ours = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sameRepliesAsRedis(final int protocol) {
        final long seed = Long.getLong("diff.seed", System.nanoTime());
        final int ops = Integer.getInteger("diff.ops", 3000);
        final Set<String> families = Arrays.stream(System.getProperty("diff.families", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        System.out.println("DifferentialStringsKeysIT RESP" + protocol + " seed=" + seed + " ops=" + ops
            + " (replay with -Ddiff.seed=" + seed + ")");
        final GenContext ctx = new GenContext(new Random(seed), System.currentTimeMillis());
        final OpGenerator gen = new OpGenerator(ctx).add(StringKeyOps.strings()).add(StringKeyOps.keys())
            .add(StringKeyOps.errors()).add(StringKeyOps.otherTypes()).only(families);
        try (RespClient a = ours.client(); RespClient b = redis.client()) {
            for (final RespClient c : new RespClient[] {a, b}) {
                assertThat(new String(c.call("FLUSHALL"), StandardCharsets.ISO_8859_1)).isEqualTo("+OK\r\n");
                if (protocol == 3) {
                    assertThat(c.call("HELLO", "3")[0]).as("HELLO 3 reply type").isEqualTo((byte) '%');
                }
            }
            final Differential diff = new Differential(a, b, Boolean.getBoolean("diff.keepGoing"));
            diff.run(gen, ops);
            diff.compareState(GenContext.keys(), GenContext.DATABASES);
        }
    }
}
