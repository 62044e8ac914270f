package dev.cinnabar.sentinel;

import java.util.function.LongSupplier;

import dev.cinnabar.protocol.resp.RespWriter;

/** A {@link SentinelCall} for tests and the interop harness: a reply writer, a clock, no propagation. */
final class TestCall implements SentinelCall {
    private final Sentinel sentinel;
    private final RespWriter writer;
    private final LongSupplier clock;

    TestCall(final Sentinel sentinel, final RespWriter writer, final LongSupplier clock) {
        this.sentinel = sentinel;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public Sentinel sentinel() {
        return sentinel;
    }

    @Override
    public RespWriter reply() {
        return writer;
    }

    @Override
    public long nowMs() {
        return clock.getAsLong();
    }

    @Override
    public void propagateAs(final byte[]... argv) {
        throw new IllegalStateException("sentinel commands do not propagate");
    }

    @Override
    public void alsoPropagate(final byte[]... argv) {
        throw new IllegalStateException("sentinel commands do not propagate");
    }

    @Override
    public void preventPropagation() {
        throw new IllegalStateException("sentinel commands do not propagate");
    }
}
