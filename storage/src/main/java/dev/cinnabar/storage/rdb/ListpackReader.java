package dev.cinnabar.storage.rdb;

/**
 * Reads a Redis listpack: a 4-byte total length, a 2-byte count (65535 when unknown), entries of
 * encoding + data + back-length, and a 0xFF terminator. The back-lengths are checked too, as a
 * cheap guard against corrupt blobs. Redis: listpack.c lpCurrentEncodedSizeUnsafe(),
 * lpValidateNext().
 */
final class ListpackReader extends PackedReader {
    private static final int HEADER = 6;
    private static final int UNKNOWN_COUNT = 65535;
    private final int declared;

    ListpackReader(final byte[] b, final long at) throws RdbException {
        super(b, at, "listpack");
        if (b.length < HEADER + 1) {
            throw corrupt("shorter than a listpack header");
        }
        if (u32le(0) != b.length) {
            throw corrupt("header says " + u32le(0) + " bytes");
        }
        if ((b[b.length - 1] & 0xff) != 0xff) {
            throw corrupt("no end marker");
        }
        declared = u16le(4);
        p = HEADER;
    }

    @Override
    boolean next() throws RdbException {
        final int start = p;
        final int enc = b[p] & 0xff;
        if (enc == 0xff) {
            if (p != b.length - 1) {
                throw corrupt("end marker before the end");
            }
            if (declared != UNKNOWN_COUNT && declared != count) {
                throw corrupt("header counts " + declared + " entries, found " + count);
            }
            return false;
        }
        isInt = true;
        if ((enc & 0x80) == 0) {
            intValue = enc;
            p += 1;
        } else if ((enc & 0xc0) == 0x80) {
            string(p + 1, enc & 0x3f);
        } else if ((enc & 0xe0) == 0xc0) {
            need(p + 2);
            final int u = (enc & 0x1f) << 8 | (b[p + 1] & 0xff);
            intValue = u >= 1 << 12 ? u - (1 << 13) : u;
            p += 2;
        } else if ((enc & 0xf0) == 0xe0) {
            need(p + 2);
            string(p + 2, (enc & 0x0f) << 8 | (b[p + 1] & 0xff));
        } else {
            fixed(enc);
        }
        final int len = p - start;
        final int backlen = ListpackWriter.backlenSize(len);
        need(p + backlen);
        for (int k = 0; k < backlen; k++) {
            final int shift = 7 * (backlen - 1 - k);
            final int expected = (len >>> shift) & 127 | (k == 0 ? 0 : 128);
            if ((b[p + k] & 0xff) != expected) {
                throw corrupt("back-length does not match the entry");
            }
        }
        p += backlen;
        count++;
        return true;
    }

    private void fixed(final int enc) throws RdbException {
        switch (enc) {
            case 0xf0: {
                need(p + 5);
                final long n = u32le(p + 1);
                if (n > Integer.MAX_VALUE) {
                    throw corrupt("string length " + n);
                }
                string(p + 5, (int) n);
                return;
            }
            case 0xf1:
                integer(2);
                return;
            case 0xf2:
                integer(3);
                return;
            case 0xf3:
                integer(4);
                return;
            case 0xf4:
                integer(8);
                return;
            default:
                throw corrupt("unknown entry encoding 0x" + Integer.toHexString(enc));
        }
    }

    private void integer(final int n) throws RdbException {
        need(p + 1 + n);
        intValue = le(p + 1, n);
        p += 1 + n;
    }
}
