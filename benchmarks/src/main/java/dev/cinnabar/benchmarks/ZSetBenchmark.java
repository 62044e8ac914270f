package dev.cinnabar.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.storage.type.zset.ZSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * redis-benchmark's ZADD ({@code ZADD myzset __rand_int__ element:__rand_int__}, -r 100000) on the
 * skiplist encoding once the set holds its ~100k members: almost every call moves an existing member
 * to a new random score, so each is a member lookup plus two skiplist descents, bound by memory
 * latency. {@code score} is the member lookup alone. Scores are operations/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class ZSetBenchmark {
    private static final int RANGE = 100_000;
    private static final int OPS = 1 << 20;

    private byte[][] members;
    private int[] memberOrder;
    private double[] scoreOrder;
    private ZSet zset;
    private int cursor;

    @Setup
    public void setUp() {
        members = new byte[RANGE][];
        for (int i = 0; i < RANGE; i++) {
            members[i] = Resp.key("element:", i, 12).getBytes(StandardCharsets.US_ASCII);
        }
        final SplittableRandom rnd = new SplittableRandom(0x5eed);
        memberOrder = new int[OPS];
        scoreOrder = new double[OPS];
        for (int i = 0; i < OPS; i++) {
            memberOrder[i] = rnd.nextInt(RANGE);
            scoreOrder[i] = rnd.nextInt(RANGE);
        }
        zset = ZSet.create(members[0].length, 128, 64);
        for (int i = 0; i < RANGE; i++) {
            zset.add(rnd.nextInt(RANGE), members[i], 0, null, 128, 64);
        }
        if (zset.size() != RANGE || zset.isListpack()) {
            throw new IllegalStateException("set-up failed: " + zset.size() + " members");
        }
    }

    @Benchmark
    public int zadd() {
        final int i = cursor = (cursor + 1) & (OPS - 1);
        return zset.add(scoreOrder[i], members[memberOrder[i]], 0, null, 128, 64);
    }

    @Benchmark
    public double score() {
        final int i = cursor = (cursor + 1) & (OPS - 1);
        return zset.score(members[memberOrder[i]]);
    }
}
