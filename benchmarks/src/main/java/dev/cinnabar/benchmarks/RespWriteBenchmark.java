package dev.cinnabar.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RespWriter} alone, encoding into a pooled direct buffer as a client's outbound buffer is:
 * a 16-byte bulk string, an integer of several digits, and a 10-element array of bulk strings
 * (a ZRANGE 0 9 reply). Scores are replies/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class RespWriteBenchmark {
    private static final int ARRAY_LEN = 10;

    private ByteBuf out;
    private final RespWriter writer = new RespWriter();
    private final byte[] value = Bytes.ascii("value-0123456789");
    private final byte[][] members = new byte[ARRAY_LEN][];
    private long counter = 1_000_000;

    @Setup
    public void setUp() {
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        writer.target(out);
        for (int i = 0; i < ARRAY_LEN; i++) {
            members[i] = Bytes.ascii(Resp.key("member:", i, 2));
        }
        bulk();
        expect("$16\r\nvalue-0123456789\r\n");
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    private void expect(final String reply) {
        final String got = out.toString(StandardCharsets.US_ASCII);
        if (!got.equals(reply)) {
            throw new IllegalStateException("wrote " + got);
        }
    }

    @Benchmark
    public int bulk() {
        out.clear();
        writer.bulk(value);
        return out.writerIndex();
    }

    @Benchmark
    public int integer() {
        out.clear();
        writer.integer(++counter);
        return out.writerIndex();
    }

    @Benchmark
    public int array10() {
        out.clear();
        writer.array(ARRAY_LEN);
        for (final byte[] m : members) {
            writer.bulk(m);
        }
        return out.writerIndex();
    }
}
