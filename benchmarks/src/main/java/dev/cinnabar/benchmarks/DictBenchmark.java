package dev.cinnabar.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The main dictionary with 2^20 (about 1M) keys: {@link Dict#find} hits and misses in random order
 * (so most probes miss the CPU caches, as in a large keyspace), {@link Database#lookupRead} (the
 * same plus expiry check, LRU touch and hit statistics), and building a 1M-key dict from empty
 * (every resize and incremental rehash included). Scores are keys/s; gc.alloc.rate.norm is bytes
 * per key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class DictBenchmark {
    static final int KEYS = 1 << 20;
    private static final int MISSES = 1 << 16;
    private static final int SEED = 0x5eed;
    private static final byte[] VALUE = "xxx".getBytes(StandardCharsets.US_ASCII);

    private byte[][] keys;
    private byte[][] absent;
    /** A random permutation of the key indexes: the lookup order. */
    private int[] order;
    private Dict<Entry> dict;
    private Database db;
    private int cursor;

    @Setup
    public void setUp() {
        keys = new byte[KEYS][];
        order = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = Resp.key("key:", i, 7).getBytes(StandardCharsets.US_ASCII);
            order[i] = i;
        }
        final SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = KEYS - 1; i > 0; i--) {
            final int j = rnd.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        absent = new byte[MISSES][];
        for (int i = 0; i < MISSES; i++) {
            absent[i] = Resp.key("miss:", i, 7).getBytes(StandardCharsets.US_ASCII);
        }
        dict = fill(new Dict<>(SEED));
        finishRehash(dict);
        db = new Keyspace(1).db(0);
        for (final byte[] k : keys) {
            db.add(k, VALUE);
        }
        finishRehash(db.dict());
        if (dict.size() != KEYS || db.size() != KEYS || dict.find(keys[KEYS - 1]) == null
            || dict.find(absent[0]) != null || db.lookupRead(keys[0], 0, keys[0].length) != VALUE) {
            throw new IllegalStateException("set-up failed: " + dict.size() + " keys");
        }
    }

    private Dict<Entry> fill(final Dict<Entry> d) {
        for (final byte[] k : keys) {
            d.add(new Entry(k, VALUE));
        }
        return d;
    }

    /** Lookups measure a settled table, not the tail of the last resize. */
    private static void finishRehash(final Dict<Entry> d) {
        boolean more = d.isRehashing();
        for (int steps = 0; more && steps < KEYS; steps++) {
            more = d.rehash(1000);
        }
    }

    private int next() {
        cursor = (cursor + 1) & (KEYS - 1);
        return order[cursor];
    }

    @Benchmark
    public Entry findHit() {
        return dict.find(keys[next()]);
    }

    @Benchmark
    public Entry findMiss() {
        return dict.find(absent[next() & (MISSES - 1)]);
    }

    @Benchmark
    public Object lookupRead() {
        final byte[] k = keys[next()];
        return db.lookupRead(k, 0, k.length);
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public Dict<Entry> insert1M() {
        return fill(new Dict<>(SEED));
    }
}
