package dev.cinnabar.it.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs seeded random op sequences against Cinnabar and a real redis-server and compares them.
 *
 * <p>Knobs (system properties): {@code diff.seed=N} replays a run (each run prints its seed;
 * the default is a fixed seed, {@code random} draws one), {@code diff.seeds=N} runs N consecutive
 * seeds from there (default 4), {@code diff.ops=N} sets each run's
 * length, {@code diff.families=lists,zsets} restricts the ops, {@code diff.keepGoing=true} lists
 * every mismatch instead of stopping at the first, {@code diff.dbg=true} compares DBSIZE after
 * every op, {@code diff.resp=2} runs only that protocol, {@code diff.limits=small|default} picks the
 * encoding thresholds, {@code diff.log=FILE} appends every op to
 * FILE, and {@code -Dcinnabar.it.target=redis} runs Redis against Redis, which checks the
 * generator and the comparisons are deterministic.
 */
final class DifferentialRunner {
    private static final long DEFAULT_SEED = 20261125L;
    private static final int DEFAULT_SEEDS = 4;
    /** Thresholds small enough for conversions to happen within a few ops (a seed picks these or the defaults). */
    private static final String[][] SMALL_LIMITS = {{"hash-max-listpack-entries", "8"},
        {"hash-max-listpack-value", "16"}, {"set-max-intset-entries", "8"}, {"zset-max-listpack-entries", "8"},
        {"zset-max-listpack-value", "16"}, {"list-max-listpack-size", "4"}, {"hll-sparse-max-bytes", "200"}};
    private static final String[][] DEFAULT_LIMITS = {{"hash-max-listpack-entries", "512"},
        {"hash-max-listpack-value", "64"}, {"set-max-intset-entries", "512"}, {"zset-max-listpack-entries", "128"},
        {"zset-max-listpack-value", "64"}, {"list-max-listpack-size", "-2"}, {"hll-sparse-max-bytes", "3000"}};

    private DifferentialRunner() {
    }

    /**
     * Runs {@code diff.seeds} seeds of {@code diff.ops} (default {@code defaultOps}) ops drawn from
     * {@code families}; generic key commands draw from {@code pools}. With {@code tuneLimits}, runs
     * alternate between small encoding thresholds and Redis's defaults, RESP2 starting with the
     * defaults and RESP3 with the small ones, so a single-seed CI run covers both
     * ({@code -Ddiff.limits=small|default} forces one, to replay a seed).
     */
    static void run(final String name, final NodeProcess ours, final NodeProcess redis, final int protocol,
                    final int defaultOps, final List<List<Op>> families, final List<String[]> pools,
                    final boolean tuneLimits) {
        final String onlyResp = System.getProperty("diff.resp", "");
        Assumptions.assumeTrue(onlyResp.isEmpty() || onlyResp.equals(Integer.toString(protocol)),
            "diff.resp=" + onlyResp);
        // CI replays the same seeds every run, so a red build is a regression, never bad luck;
        // -Ddiff.seed=random explores new ones
        final String seedProperty = System.getProperty("diff.seed", Long.toString(DEFAULT_SEED));
        final long first = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        final int seeds = Integer.getInteger("diff.seeds", DEFAULT_SEEDS);
        final int ops = Integer.getInteger("diff.ops", defaultOps);
        final Set<String> only = Arrays.stream(System.getProperty("diff.families", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        final List<String> failures = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            final long seed = first + s;
            final String forced = System.getProperty("diff.limits", "");
            final boolean small = tuneLimits && (forced.isEmpty() ? (s + protocol) % 2 == 1 : forced.equals("small"));
            final String limits = tuneLimits ? " -Ddiff.limits=" + (small ? "small" : "default") : "";
            System.out.println(name + " RESP" + protocol + " seed=" + seed + " ops=" + ops + " (replay with -Ddiff.seed="
                + seed + " -Ddiff.resp=" + protocol + limits + ")");
            final GenContext ctx = new GenContext(new Random(seed), System.currentTimeMillis()).anyKeysFrom(pools);
            final OpGenerator gen = new OpGenerator(ctx);
            families.forEach(gen::add);
            gen.only(only);
            try (RespClient a = ours.client(); RespClient b = redis.client()) {
                for (final RespClient c : new RespClient[] {a, b}) {
                    prepare(c, protocol, tuneLimits ? (small ? SMALL_LIMITS : DEFAULT_LIMITS) : new String[0][]);
                }
                final Differential diff = new Differential(a, b, Boolean.getBoolean("diff.keepGoing"));
                try {
                    diff.run(gen, ops);
                    diff.compareState(GenContext.keys(), GenContext.DATABASES);
                } catch (AssertionError e) {
                    if (seeds == 1) {
                        throw e;
                    }
                    failures.add("seed " + seed + ": " + e.getMessage());
                    System.out.println("FAILED seed " + seed + ":\n" + e.getMessage());
                }
            }
        }
        assertThat(failures).as(failures.size() + " of " + seeds + " seeds failed").isEmpty();
    }

    private static void prepare(final RespClient c, final int protocol, final String[][] limits) {
        assertThat(text(c.call("FLUSHALL"))).isEqualTo("+OK\r\n");
        for (final String[] kv : limits) {
            assertThat(text(c.call("CONFIG", "SET", kv[0], kv[1]))).as("CONFIG SET " + kv[0]).isEqualTo("+OK\r\n");
        }
        assertThat(c.call("HELLO", Integer.toString(protocol))[0]).as("HELLO reply type")
            .isEqualTo((byte) (protocol == 3 ? '%' : '*'));
        assertThat(text(c.call("SELECT", "0"))).isEqualTo("+OK\r\n");
    }

    private static String text(final byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
