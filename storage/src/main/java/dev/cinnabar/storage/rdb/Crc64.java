package dev.cinnabar.storage.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64 with the Jones polynomial, the checksum of RDB files and DUMP payloads: reflected input
 * and output, initial value 0, no final xor ("123456789" gives 0xe9c6d914c4b8d9ca).
 *
 * <p>Why slicing by eight: the checksum covers every byte loaded or saved, so it must not be the
 * bottleneck of a load; eight table lookups per eight bytes keep it well above disk speed.
 * Redis: crc64.c, crcspeed.c.
 */
public final class Crc64 {
    /** The Jones polynomial 0xad93d23594c935a9, bit-reversed for the reflected algorithm. */
    private static final long POLY = 0x95ac9329ac4bc9b5L;
    private static final long[][] T = new long[8][256];
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            T[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            long c = T[0][n];
            for (int k = 1; k < 8; k++) {
                c = T[0][(int) (c & 0xff)] ^ (c >>> 8);
                T[k][n] = c;
            }
        }
    }

    private Crc64() {
    }

    /** The checksum continued from {@code crc} over {@code b[off, off + len)}. */
    public static long update(final long crc, final byte[] b, final int off, final int len) {
        long c = crc;
        int i = off;
        final int end = off + len;
        final long[] t0 = T[0];
        final long[] t1 = T[1];
        final long[] t2 = T[2];
        final long[] t3 = T[3];
        final long[] t4 = T[4];
        final long[] t5 = T[5];
        final long[] t6 = T[6];
        final long[] t7 = T[7];
        while (end - i >= 8) {
            final long x = c ^ (long) LONG_LE.get(b, i);
            c = t7[(int) (x & 0xff)] ^ t6[(int) ((x >>> 8) & 0xff)] ^ t5[(int) ((x >>> 16) & 0xff)]
                ^ t4[(int) ((x >>> 24) & 0xff)] ^ t3[(int) ((x >>> 32) & 0xff)] ^ t2[(int) ((x >>> 40) & 0xff)]
                ^ t1[(int) ((x >>> 48) & 0xff)] ^ t0[(int) (x >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = t0[(int) ((c ^ b[i++]) & 0xff)] ^ (c >>> 8);
        }
        return c;
    }

    public static long of(final byte[] b, final int off, final int len) {
        return update(0, b, off, len);
    }
}
