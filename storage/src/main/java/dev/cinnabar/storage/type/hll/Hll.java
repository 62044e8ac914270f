package dev.cinnabar.storage.type.hll;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's exact string representation, edited in a growable byte buffer.
 *
 * <p>Why byte-exact: an HLL is an ordinary string value, so GET, DUMP, RDB and replicas expose
 * its bytes; a real Redis must accept ours and count the same. Layout: "HYLL", encoding (0 dense,
 * 1 sparse), 3 unused bytes, 8 bytes of cached cardinality (little endian; bit 7 of the last byte
 * set means stale), then 16384 registers: 6 bits each, LSB first (dense), or run-length opcodes
 * (sparse): ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx.
 *
 * <p>Invariants: a valid sparse body covers exactly 16384 registers; a dense value is exactly
 * {@link #DENSE_SIZE} bytes; sparse edits split one opcode in place, then merge equal adjacent
 * VAL opcodes in a window of five from the previous opcode, as Redis does, so the bytes match.
 * A VAL run that reaches past the last register makes the value corrupted wherever it sits (the
 * CVE-2025-32023 fix in the Redis 7.0.15 we follow), even after a body already covering 16384.
 * Redis: hyperloglog.c hllSparseSet(), hllSparseToDense(), hllCount(), MurmurHash64A().
 */
public final class Hll {
    public static final int P = 14;
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    public static final int HDR = 16;
    public static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    private static final int REGISTER_MAX = 63;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private byte[] b;
    private int len;

    private Hll(final byte[] b, final int len) {
        this.b = b;
        this.len = len;
    }

    /** A new empty HLL: sparse, one XZERO covering every register, cached cardinality 0. */
    public static Hll create() {
        final byte[] b = new byte[HDR + 2 + 3];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        b[HDR] = (byte) (0x40 | ((REGISTERS - 1) >> 8));
        b[HDR + 1] = (byte) ((REGISTERS - 1) & 0xff);
        return new Hll(b, HDR + 2);
    }

    /** A working copy of a string value, or null when it is not a valid HLL (isHLLObjectOrReply). */
    public static Hll of(final byte[] v, final int vlen) {
        if (vlen < HDR || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L' || (v[4] & 0xff) > SPARSE) {
            return null;
        }
        if (v[4] == DENSE && vlen != DENSE_SIZE) {
            return null;
        }
        return new Hll(Arrays.copyOf(v, vlen + 8), vlen);
    }

    public byte[] toBytes() {
        return Arrays.copyOf(b, len);
    }

    public int encoding() {
        return b[4];
    }

    public boolean validCache() {
        return (b[15] & 0x80) == 0;
    }

    public void invalidateCache() {
        b[15] |= (byte) 0x80;
    }

    public long cachedCard() {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[8 + i] & 0xff);
        }
        return v;
    }

    public void cachedCard(final long card) {
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    /** Redis's MurmurHash64A (little endian). */
    public static long murmur64a(final byte[] key, final int off, final int n, final int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = (seed & 0xFFFFFFFFL) ^ (n * m);
        final int end = off + (n - (n & 7));
        int p = off;
        for (; p != end; p += 8) {
            long k = 0;
            for (int i = 7; i >= 0; i--) {
                k = (k << 8) | (key[p + i] & 0xff);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        final int rest = n & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (long) (key[p + i] & 0xff) << (8 * i);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Adds an element; 1 when a register changed, 0 when not, -1 when the value is corrupted. */
    public int add(final byte[] e, final int off, final int n) {
        long hash = murmur64a(e, off, n, 0xadc83b19);
        final int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        final int count = Long.numberOfTrailingZeros(hash) + 1;
        return set(index, count);
    }

    /** Raises register {@code index} to {@code count}; the return of {@link #add}. */
    public int set(final int index, final int count) {
        if (b[4] == DENSE) {
            return denseSet(index, count);
        }
        return sparseSet(index, count);
    }

    private int reg(final int i) {
        final int byteIdx = HDR + i * 6 / 8;
        final int fb = (i * 6) & 7;
        final int b0 = b[byteIdx] & 0xff;
        final int b1 = byteIdx + 1 < DENSE_SIZE ? b[byteIdx + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    private void setReg(final int i, final int val) {
        final int byteIdx = HDR + i * 6 / 8;
        final int fb = (i * 6) & 7;
        final int fb8 = 8 - fb;
        b[byteIdx] = (byte) ((b[byteIdx] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (byteIdx + 1 < DENSE_SIZE) {
            b[byteIdx + 1] = (byte) ((b[byteIdx + 1] & ~(REGISTER_MAX >> fb8)) | (val >> fb8));
        }
    }

    private int denseSet(final int index, final int count) {
        if (count > reg(index)) {
            setReg(index, count);
            return 1;
        }
        return 0;
    }

    private static boolean isZero(final int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(final int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int valByte(final int val, final int runlen) {
        return 0x80 | ((val - 1) << 2) | (runlen - 1);
    }

    private int op(final int p) {
        return b[p] & 0xff;
    }

    /** Converts to dense; false when the sparse body is invalid (hllSparseToDense). */
    public boolean toDense() {
        if (b[4] == DENSE) {
            return true;
        }
        final byte[] dense = new byte[DENSE_SIZE + 8];
        System.arraycopy(b, 0, dense, 0, HDR);
        dense[4] = DENSE;
        final byte[] sparse = b;
        final int end = len;
        b = dense;
        int idx = 0;
        int p = HDR;
        while (p < end) {
            final int o = sparse[p] & 0xff;
            if (isZero(o)) {
                idx += (o & 0x3f) + 1;
                p++;
            } else if (isXzero(o)) {
                idx += (((o & 0x3f) << 8) | (sparse[p + 1] & 0xff)) + 1;
                p += 2;
            } else {
                int runlen = (o & 3) + 1;
                final int val = ((o >> 2) & 0x1f) + 1;
                if (runlen + idx > REGISTERS) {
                    // a run past the last register is corruption, even right after a full body
                    idx = -1;
                    break;
                }
                while (runlen-- > 0) {
                    setReg(idx++, val);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            b = sparse;
            return false;
        }
        len = DENSE_SIZE;
        return true;
    }

    private int promote(final int index, final int count) {
        if (!toDense()) {
            return -1;
        }
        return denseSet(index, count);
    }

    /** The sparse update of Redis's hllSparseSet, including the promotion rules. */
    private int sparseSet(final int index, final int count) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(index, count);
        }
        if (b.length < len + 3) {
            b = Arrays.copyOf(b, len * 2 + 8);
        }
        int p = HDR;
        final int end0 = len;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end0) {
            final int o = op(p);
            int oplen = 1;
            if (isZero(o)) {
                span = (o & 0x3f) + 1;
            } else if (!isXzero(o)) {
                span = (o & 3) + 1;
            } else {
                span = (((o & 0x3f) << 8) | op(p + 1)) + 1;
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end0) {
            return -1;
        }
        final int o = op(p);
        final boolean zero = isZero(o);
        final boolean xzero = isXzero(o);
        final boolean val = !zero && !xzero;
        int next = xzero ? p + 2 : p + 1;
        if (next >= end0) {
            next = -1;
        }
        final int runlen = zero ? (o & 0x3f) + 1 : xzero ? (((o & 0x3f) << 8) | op(p + 1)) + 1 : (o & 3) + 1;
        boolean updated = false;
        if (val) {
            final int old = ((o >> 2) & 0x1f) + 1;
            if (old >= count) {
                return 0;
            }
            if (runlen == 1) {
                b[p] = (byte) valByte(count, 1);
                updated = true;
            }
        }
        if (!updated && zero && runlen == 1) {
            b[p] = (byte) valByte(count, 1);
            updated = true;
        }
        if (!updated) {
            final byte[] seq = new byte[5];
            int n = 0;
            final int last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = zeros(seq, n, index - first);
                }
                seq[n++] = (byte) valByte(count, 1);
                if (index != last) {
                    n = zeros(seq, n, last - index);
                }
            } else {
                final int cur = ((o >> 2) & 0x1f) + 1;
                if (index != first) {
                    seq[n++] = (byte) valByte(cur, index - first);
                }
                seq[n++] = (byte) valByte(count, 1);
                if (index != last) {
                    seq[n++] = (byte) valByte(cur, last - index);
                }
            }
            final int oldlen = xzero ? 2 : 1;
            final int delta = n - oldlen;
            if (delta > 0 && len + delta > maxBytes) {
                return promote(index, count);
            }
            if (delta != 0 && next >= 0) {
                System.arraycopy(b, next, b, next + delta, len - next);
            }
            len += delta;
            System.arraycopy(seq, 0, b, p, n);
        }
        mergeFrom(prev >= 0 ? prev : HDR);
        invalidateCache();
        return 1;
    }

    /** The sparse size limit (hll-sparse-max-bytes) applied by {@link #sparseSet}; set per command. */
    private int maxBytes = 3000;

    public void maxBytes(final int bytes) {
        this.maxBytes = bytes;
    }

    private static int zeros(final byte[] seq, final int n, final int runlen) {
        if (runlen > SPARSE_ZERO_MAX_LEN) {
            final int l = runlen - 1;
            seq[n] = (byte) ((l >> 8) | 0x40);
            seq[n + 1] = (byte) (l & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (runlen - 1);
        return n + 1;
    }

    private void mergeFrom(final int start) {
        int p = start;
        int scan = 5;
        while (p < len && scan-- > 0) {
            final int o = op(p);
            if (isXzero(o)) {
                p += 2;
                continue;
            }
            if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < len && (op(p + 1) & 0x80) != 0) {
                final int v1 = ((o >> 2) & 0x1f) + 1;
                final int o2 = op(p + 1);
                final int v2 = ((o2 >> 2) & 0x1f) + 1;
                if (v1 == v2) {
                    final int l = (o & 3) + 1 + (o2 & 3) + 1;
                    if (l <= SPARSE_VAL_MAX_LEN) {
                        b[p + 1] = (byte) valByte(v1, l);
                        System.arraycopy(b, p + 1, b, p, len - p - 1);
                        len--;
                        continue;
                    }
                }
            }
            p++;
        }
    }

    /** Raises {@code max[i]} to this HLL's registers; false when corrupted (hllMerge). */
    public boolean mergeInto(final byte[] max) {
        if (b[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                final int v = reg(i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int i = 0;
        int p = HDR;
        while (p < len) {
            final int o = op(p);
            if (isZero(o)) {
                i += (o & 0x3f) + 1;
                p++;
            } else if (isXzero(o)) {
                i += (((o & 0x3f) << 8) | op(p + 1)) + 1;
                p += 2;
            } else {
                int runlen = (o & 3) + 1;
                final int v = ((o >> 2) & 0x1f) + 1;
                if (runlen + i > REGISTERS) {
                    return false;
                }
                while (runlen-- > 0) {
                    if (v > max[i]) {
                        max[i] = (byte) v;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** Cardinality of this HLL; -1 when the sparse body is corrupted. */
    public long count() {
        final int[] histo = new int[64];
        if (b[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histo[reg(i)]++;
            }
        } else {
            int idx = 0;
            int p = HDR;
            while (p < len) {
                final int o = op(p);
                int runlen;
                if (isZero(o)) {
                    runlen = (o & 0x3f) + 1;
                    histo[0] += runlen;
                    p++;
                } else if (isXzero(o)) {
                    runlen = (((o & 0x3f) << 8) | op(p + 1)) + 1;
                    histo[0] += runlen;
                    p += 2;
                } else {
                    runlen = (o & 3) + 1;
                    histo[((o >> 2) & 0x1f) + 1] += runlen;
                    p++;
                }
                idx += runlen;
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histo);
    }

    /** Cardinality of raw registers (PFCOUNT over several keys). */
    public static long count(final byte[] registers) {
        final int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histo[registers[i]]++;
        }
        return estimate(histo);
    }

    /** Ertl's estimator, as Redis 7.0's hllCount. */
    private static long estimate(final int[] histo) {
        final double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(final double xIn) {
        if (xIn == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double x = xIn;
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(final double xIn) {
        if (xIn == 0. || xIn == 1.) {
            return 0.;
        }
        double x = xIn;
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }
}
