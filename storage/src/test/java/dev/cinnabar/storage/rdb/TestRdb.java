package dev.cinnabar.storage.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds RDB bytes by hand, independently of {@link RdbWriter}: legacy records Redis 7.0 no
 * longer writes (ziplists, zipmaps, quicklist 1, string-encoded scores, EXPIRETIME in seconds),
 * module aux data, and corrupt files.
 */
final class TestRdb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static TestRdb version(final int v) {
        final TestRdb t = new TestRdb();
        t.bytes(String.format("REDIS%04d", v).getBytes(StandardCharsets.US_ASCII));
        return t;
    }

    TestRdb u8(final int b) {
        out.write(b);
        return this;
    }

    TestRdb bytes(final byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    TestRdb le(final long v, final int n) {
        for (int k = 0; k < n; k++) {
            out.write((int) (v >>> (8 * k)));
        }
        return this;
    }

    TestRdb len(final long n) {
        if (n < 64) {
            return u8((int) n);
        }
        if (n < 16384) {
            return u8(0x40 | (int) (n >>> 8)).u8((int) n & 0xff);
        }
        u8(0x80);
        for (int k = 3; k >= 0; k--) {
            u8((int) (n >>> (8 * k)) & 0xff);
        }
        return this;
    }

    /** A raw (never int or LZF encoded) string. */
    TestRdb str(final byte[] b) {
        return len(b.length).bytes(b);
    }

    TestRdb str(final String s) {
        return str(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    TestRdb aux(final String k, final String v) {
        return u8(RdbType.OPCODE_AUX).str(k).str(v);
    }

    TestRdb selectDb(final int db) {
        return u8(RdbType.OPCODE_SELECTDB).len(db);
    }

    /** A key of the given type; the value bytes follow with further calls. */
    TestRdb key(final int type, final String key) {
        return u8(type).str(key);
    }

    byte[] body() {
        return out.toByteArray();
    }

    /** EOF and a checksum trailer (the real one, or {@code forcedCrc} when not null). */
    byte[] finish(final Long forcedCrc) {
        u8(RdbType.OPCODE_EOF);
        final byte[] b = out.toByteArray();
        le(forcedCrc != null ? forcedCrc : Crc64.of(b, 0, b.length), 8);
        return out.toByteArray();
    }

    byte[] finish() {
        return finish(null);
    }

    /** A ziplist of Strings and Longs, each in the narrowest encoding. */
    static byte[] ziplist(final Object... entries) {
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (final Object o : entries) {
            final int start = 10 + e.size();
            tail = start;
            if (prev < 254) {
                e.write(prev);
            } else {
                e.write(254);
                writeLe(e, prev, 4);
            }
            if (o instanceof Long l) {
                zipInt(e, l);
            } else {
                final byte[] s = ((String) o).getBytes(StandardCharsets.ISO_8859_1);
                if (s.length < 64) {
                    e.write(s.length);
                } else if (s.length < 16384) {
                    e.write(0x40 | s.length >>> 8);
                    e.write(s.length & 0xff);
                } else {
                    e.write(0x80);
                    for (int k = 3; k >= 0; k--) {
                        e.write(s.length >>> (8 * k));
                    }
                }
                e.write(s, 0, s.length);
            }
            prev = 10 + e.size() - start;
        }
        final ByteArrayOutputStream z = new ByteArrayOutputStream();
        writeLe(z, 10 + e.size() + 1, 4);
        writeLe(z, tail, 4);
        writeLe(z, entries.length, 2);
        z.write(e.toByteArray(), 0, e.size());
        z.write(0xff);
        return z.toByteArray();
    }

    private static void zipInt(final ByteArrayOutputStream e, final long v) {
        if (v >= 0 && v <= 12) {
            e.write(0xf1 + (int) v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            e.write(0xfe);
            writeLe(e, v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            e.write(0xc0);
            writeLe(e, v, 2);
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            e.write(0xf0);
            writeLe(e, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            e.write(0xd0);
            writeLe(e, v, 4);
        } else {
            e.write(0xe0);
            writeLe(e, v, 8);
        }
    }

    /** A zipmap of field, value, field, value... with some free bytes after each value. */
    static byte[] zipmap(final String... kv) {
        final ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(kv.length / 2);
        for (int i = 0; i < kv.length; i += 2) {
            final byte[] f = kv[i].getBytes(StandardCharsets.ISO_8859_1);
            final byte[] v = kv[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            zipmapLen(z, f.length);
            z.write(f, 0, f.length);
            zipmapLen(z, v.length);
            z.write(2);
            z.write(v, 0, v.length);
            z.write(0);
            z.write(0);
        }
        z.write(0xff);
        return z.toByteArray();
    }

    private static void zipmapLen(final ByteArrayOutputStream z, final int n) {
        if (n < 254) {
            z.write(n);
        } else {
            z.write(254);
            writeLe(z, n, 4);
        }
    }

    static void writeLe(final ByteArrayOutputStream o, final long v, final int n) {
        for (int k = 0; k < n; k++) {
            o.write((int) (v >>> (8 * k)));
        }
    }
}
