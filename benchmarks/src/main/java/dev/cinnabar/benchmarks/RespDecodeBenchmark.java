package dev.cinnabar.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.ProtocolException;
import dev.cinnabar.protocol.resp.RespCommandDecoder;
import dev.cinnabar.protocol.util.Bytes;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link RespCommandDecoder} alone: one read holding 16 pipelined {@code SET key:NNN value}
 * commands, in the multibulk form clients send and in the inline form. Scores are commands/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class RespDecodeBenchmark {
    private static final int PIPELINE = 16;

    private final RespCommandDecoder decoder = new RespCommandDecoder();
    private final Args args = new Args();
    private byte[] multibulk;
    private byte[] inline;

    @Setup
    public void setUp() throws ProtocolException {
        multibulk = Resp.Requests.of(PIPELINE, i -> Resp.command("SET", Resp.key("key:", i, 3), "value")).bytes();
        inline = Resp.Requests.of(PIPELINE, i -> Resp.inline("SET", Resp.key("key:", i, 3), "value")).bytes();
        for (final byte[] read : new byte[][] {multibulk, inline}) {
            decoder.append(read, 0, read.length, args);
            int n = 0;
            while (decoder.next(args)) {
                if (args.count() != 3 || !args.is(0, "SET") || !args.equals(2, Bytes.ascii("value"))) {
                    throw new IllegalStateException("decoded " + args);
                }
                n++;
            }
            if (n != PIPELINE || decoder.pending() != 0) {
                throw new IllegalStateException(n + " commands decoded, " + decoder.pending() + " bytes left");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int multibulkPipeline16(final Blackhole bh) throws ProtocolException {
        return decodeAll(multibulk, bh);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int inlinePipeline16(final Blackhole bh) throws ProtocolException {
        return decodeAll(inline, bh);
    }

    private int decodeAll(final byte[] read, final Blackhole bh) throws ProtocolException {
        decoder.append(read, 0, read.length, args);
        int n = 0;
        while (decoder.next(args)) {
            bh.consume(args.offset(1) + args.length(2));
            n++;
        }
        return n;
    }
}
