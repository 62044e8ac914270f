package dev.cinnabar.storage.type;

import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;

/**
 * A string grown in place by APPEND or SETRANGE: a byte array with spare capacity, like an sds
 * with free space. Plain SET values stay immutable byte[]; OBJECT ENCODING reports this as "raw",
 * as Redis does for any string modified in place.
 *
 * <p>The one exception is an {@link #embedded} string: a value Redis stores without trying the
 * integer encoding (INCRBYFLOAT's result), which OBJECT ENCODING reports as "embstr" even when
 * its text is an integer, until it is first modified in place.
 */
public final class RawString {
    private byte[] buf;
    private int len;
    private boolean embedded;

    public RawString(final byte[] initial, final int capacity) {
        this.buf = Arrays.copyOf(initial, Math.max(capacity, initial.length));
        this.len = initial.length;
    }

    /** A string of at most {@link Strings#EMBSTR_LIMIT} bytes stored as is (the array is kept). */
    public static RawString embedded(final byte[] text) {
        final RawString r = new RawString(Bytes.EMPTY, 0);
        r.buf = text;
        r.len = text.length;
        r.embedded = true;
        return r;
    }

    public boolean isEmbedded() {
        return embedded;
    }

    /** A copy with the same content and encoding (COPY's dupStringObject). */
    public RawString copy() {
        final RawString r = new RawString(buf, len);
        r.len = len;
        r.embedded = embedded;
        return r;
    }

    public int length() {
        return len;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public void append(final byte[] b, final int off, final int n) {
        ensure(len + n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Writes at offset, zero-padding any gap, as SETRANGE does. */
    public void setRange(final long offset, final byte[] b, final int off, final int n) {
        final int end = (int) (offset + n);
        ensure(end);
        if (end > len) {
            len = end;
        }
        System.arraycopy(b, off, buf, (int) offset, n);
    }

    public void ensure(final int size) {
        embedded = false;
        if (size > buf.length) {
            // sds's greedy growth: double below 1 MiB, then 1 MiB more
            final int cap = size < 1024 * 1024 ? size * 2 : size + 1024 * 1024;
            buf = Arrays.copyOf(buf, cap);
        }
    }
}
