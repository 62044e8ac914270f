package dev.cinnabar.server.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An immutable byte string usable as a map key (channel and pattern names). */
public final class ByteKey implements Comparable<ByteKey> {
    private final byte[] bytes;
    private final int hash;

    public ByteKey(final byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(final ByteKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
