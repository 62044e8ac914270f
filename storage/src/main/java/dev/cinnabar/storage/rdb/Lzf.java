package dev.cinnabar.storage.rdb;

import java.util.Arrays;

/**
 * LZF, the compression of RDB strings: a stream of literal runs (a control byte below 32 holding
 * the run length minus one, then the bytes) and back references (three bits of length, thirteen
 * bits of distance minus one, one more length byte when the three bits are all set), copying
 * 3 to 264 bytes from up to 8192 bytes back.
 *
 * <p>Why an instance: the compressor's hash table is reused across calls. Its slots hold
 * positions on a running counter, so a slot from an earlier call reads as stale instead of
 * being cleared, which would cost more than compressing a short string.
 * Redis: lzf_c.c lzf_compress(), lzf_d.c lzf_decompress() (format only).
 */
public final class Lzf {
    private static final int HLOG = 14;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_MATCH = 264;
    /** The longest output one input byte can produce: 264 bytes from a 3-byte back reference. */
    static final int MAX_RATIO = 88;

    private final int[] table = new int[1 << HLOG];
    /** The counter value of input position 0 in the current call; slots below it are stale. */
    private int base = 1;

    /**
     * Compresses {@code in[inOff, inOff + inLen)} into {@code out[outOff, outOff + outLen)}.
     * Returns the compressed length, or 0 when it does not fit (the caller stores the bytes raw).
     */
    public int compress(final byte[] in, final int inOff, final int inLen, final byte[] out, final int outOff,
                        final int outLen) {
        if (base > Integer.MAX_VALUE - inLen - 1) {
            Arrays.fill(table, 0);
            base = 1;
        }
        final int callBase = base;
        base += inLen + 1;
        final int end = inOff + inLen;
        final int outEnd = outOff + outLen;
        int op = outOff;
        int ip = inOff;
        int lit = ip;
        while (ip + 2 < end) {
            final int h = hash(in, ip);
            final int ref = table[h] - callBase + inOff;
            table[h] = callBase + (ip - inOff);
            final int off = ip - ref - 1;
            if (ref >= inOff && off < MAX_OFFSET && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]
                && in[ref + 2] == in[ip + 2]) {
                op = literals(in, lit, ip, out, op, outEnd);
                if (op < 0 || op + 3 > outEnd) {
                    return 0;
                }
                final int max = Math.min(MAX_MATCH, end - ip);
                int len = 3;
                while (len < max && in[ref + len] == in[ip + len]) {
                    len++;
                }
                final int l = len - 2;
                if (l < 7) {
                    out[op++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (l - 7);
                }
                out[op++] = (byte) off;
                final int next = ip + len;
                for (int p = ip + 1; p < next && p + 2 < end; p++) {
                    table[hash(in, p)] = callBase + (p - inOff);
                }
                ip = next;
                lit = ip;
            } else {
                ip++;
            }
        }
        op = literals(in, lit, end, out, op, outEnd);
        return op < 0 ? 0 : op - outOff;
    }

    private static int hash(final byte[] b, final int p) {
        final int v = ((b[p] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
        return (v * 0x9E3779B1) >>> (32 - HLOG);
    }

    /** Writes {@code in[from, to)} as literal runs; returns the new output position or -1 when full. */
    private static int literals(final byte[] in, final int from, final int to, final byte[] out, final int op,
                                final int outEnd) {
        int o = op;
        int p = from;
        while (p < to) {
            final int n = Math.min(MAX_LITERAL, to - p);
            if (o + 1 + n > outEnd) {
                return -1;
            }
            out[o++] = (byte) (n - 1);
            System.arraycopy(in, p, out, o, n);
            o += n;
            p += n;
        }
        return o;
    }

    /**
     * Decompresses {@code in[off, off + len)}, which must expand to exactly {@code outLen} bytes.
     * Returns null when the data is corrupt. The output grows as data is produced, so a lying
     * {@code outLen} costs no more memory than the input really expands to.
     */
    public static byte[] decompress(final byte[] in, final int off, final int len, final int outLen) {
        if (outLen < 0 || (long) outLen > (long) len * MAX_RATIO) {
            return null;
        }
        byte[] out = new byte[(int) Math.min(outLen, Math.max(64L, (long) len * 4))];
        int ip = off;
        final int end = off + len;
        int op = 0;
        while (ip < end) {
            final int ctrl = in[ip++] & 0xff;
            if (ctrl < MAX_LITERAL) {
                final int n = ctrl + 1;
                if (ip + n > end || op + n > outLen) {
                    return null;
                }
                out = ensure(out, op + n, outLen);
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
                continue;
            }
            int n = ctrl >>> 5;
            if (n == 7) {
                if (ip >= end) {
                    return null;
                }
                n += in[ip++] & 0xff;
            }
            n += 2;
            if (ip >= end) {
                return null;
            }
            final int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
            if (ref < 0 || op + n > outLen) {
                return null;
            }
            out = ensure(out, op + n, outLen);
            if (ref + n <= op) {
                System.arraycopy(out, ref, out, op, n);
                op += n;
            } else {
                for (int k = 0; k < n; k++) {
                    out[op++] = out[ref + k];
                }
            }
        }
        if (op != outLen) {
            return null;
        }
        return out.length == outLen ? out : Arrays.copyOf(out, outLen);
    }

    private static byte[] ensure(final byte[] out, final int need, final int max) {
        if (need <= out.length) {
            return out;
        }
        return Arrays.copyOf(out, (int) Math.min(max, Math.max(need, (long) out.length * 2)));
    }
}
