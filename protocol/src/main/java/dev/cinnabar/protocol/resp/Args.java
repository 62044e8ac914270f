package dev.cinnabar.protocol.resp;

import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.RawText;

/**
 * The arguments of one command, as slices of the connection's query buffer.
 *
 * <p>An instance is reused for every command of a connection, so a handler must not keep it (nor
 * the backing array) past its return; {@link #copy(int)} or {@link #detach()} take what must stay.
 */
public final class Args {
    private byte[] buf = Bytes.EMPTY;
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private int count;

    public Args() {
    }

    /** Args that own their bytes: for tests, MULTI queues, propagation and internal callers. */
    public static Args of(final byte[]... argv) {
        final Args a = new Args();
        int total = 0;
        for (final byte[] b : argv) {
            total += b.length;
        }
        final byte[] joined = new byte[total];
        a.reset(joined);
        int pos = 0;
        for (final byte[] b : argv) {
            System.arraycopy(b, 0, joined, pos, b.length);
            a.add(pos, b.length);
            pos += b.length;
        }
        return a;
    }

    public static Args of(final String... argv) {
        final byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = RawText.encode(argv[i]);
        }
        return of(b);
    }

    void reset(final byte[] backing) {
        this.buf = backing;
        this.count = 0;
    }

    void rebase(final byte[] backing, final int shift) {
        this.buf = backing;
        for (int i = 0; i < count; i++) {
            offsets[i] -= shift;
        }
    }

    void add(final int offset, final int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    void ensureCapacity(final int n) {
        if (offsets.length < n) {
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
        }
    }

    public int count() {
        return count;
    }

    public byte[] array() {
        return buf;
    }

    public int offset(final int i) {
        return offsets[i];
    }

    public int length(final int i) {
        return lengths[i];
    }

    /** A fresh copy of argument i, for storing. */
    public byte[] copy(final int i) {
        return Arrays.copyOfRange(buf, offsets[i], offsets[i] + lengths[i]);
    }

    /**
     * Argument {@code i} as C's {@code %s} prints it in Redis's error texts: up to its first NUL, each
     * byte as itself (see {@link RawText#rawByteChar}).
     */
    public String printable(final int i) {
        final int end = Bytes.cStringEnd(buf, offsets[i], lengths[i]);
        final char[] chars = new char[end - offsets[i]];
        for (int k = 0; k < chars.length; k++) {
            chars[k] = RawText.rawByteChar(buf[offsets[i] + k]);
        }
        return new String(chars);
    }

    /** Argument i as text; bytes that are not valid UTF-8 survive (see {@link RawText}). */
    public String string(final int i) {
        return RawText.decode(buf, offsets[i], lengths[i]);
    }

    /** Case-insensitive comparison of argument i with an ASCII word given in upper case. */
    public boolean is(final int i, final byte[] upperWord) {
        return Bytes.equalsIgnoreCase(upperWord, buf, offsets[i], lengths[i]);
    }

    public boolean is(final int i, final String upperWord) {
        final int len = lengths[i];
        if (len != upperWord.length()) {
            return false;
        }
        final int off = offsets[i];
        for (int k = 0; k < len; k++) {
            if (Bytes.upper(buf[off + k]) != upperWord.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    public boolean equals(final int i, final int j) {
        return Arrays.equals(buf, offsets[i], offsets[i] + lengths[i], buf, offsets[j], offsets[j] + lengths[j]);
    }

    public boolean equals(final int i, final byte[] other) {
        return Arrays.equals(buf, offsets[i], offsets[i] + lengths[i], other, 0, other.length);
    }

    /** Redis's strict string2ll over argument i; {@link Bytes#NOT_A_LONG} semantics via the flag. */
    public boolean isLong(final int i) {
        return Bytes.isLong(buf, offsets[i], lengths[i]);
    }

    /** Parses a long; callers check {@link #isLong(int)} first or use {@link Bytes#parseLongOr}. */
    public long longValue(final int i) {
        return Bytes.parseLong(buf, offsets[i], lengths[i]);
    }

    /** An owning copy of all arguments, for callers that keep them past the handler. */
    public Args detach() {
        final byte[][] argv = new byte[count][];
        for (int i = 0; i < count; i++) {
            argv[i] = copy(i);
        }
        return of(argv);
    }

    public byte[][] toArrays() {
        final byte[][] argv = new byte[count][];
        for (int i = 0; i < count; i++) {
            argv[i] = copy(i);
        }
        return argv;
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(string(i));
        }
        return sb.append(']').toString();
    }
}
