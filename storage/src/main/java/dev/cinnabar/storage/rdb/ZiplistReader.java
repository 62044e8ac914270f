package dev.cinnabar.storage.rdb;

/**
 * Reads a ziplist (lists, hashes and sorted sets of RDB files before Redis 7): a header of total
 * bytes, offset of the last entry and count, entries of previous-length + encoding + data, and a
 * 0xFF terminator. The previous-lengths and the tail offset are checked against what was read.
 * Redis: ziplist.c zipEntrySafe().
 */
final class ZiplistReader extends PackedReader {
    private static final int HEADER = 10;
    private static final int UNKNOWN_COUNT = 65535;
    private final long tail;
    private final int declared;
    private int previous;
    private int lastStart = HEADER;

    ZiplistReader(final byte[] b, final long at) throws RdbException {
        super(b, at, "ziplist");
        if (b.length < HEADER + 1) {
            throw corrupt("shorter than a ziplist header");
        }
        if (u32le(0) != b.length) {
            throw corrupt("header says " + u32le(0) + " bytes");
        }
        tail = u32le(4);
        declared = u16le(8);
        if ((b[b.length - 1] & 0xff) != 0xff) {
            throw corrupt("no end marker");
        }
        p = HEADER;
    }

    @Override
    boolean next() throws RdbException {
        final int start = p;
        if ((b[p] & 0xff) == 0xff) {
            if (p != b.length - 1) {
                throw corrupt("end marker before the end");
            }
            if (declared != UNKNOWN_COUNT && declared != count) {
                throw corrupt("header counts " + declared + " entries, found " + count);
            }
            if (tail != lastStart) {
                throw corrupt("tail offset " + tail + " is not the last entry");
            }
            return false;
        }
        final int prevlen;
        if ((b[p] & 0xff) < 254) {
            prevlen = b[p] & 0xff;
            p += 1;
        } else {
            need(p + 5);
            prevlen = (int) u32le(p + 1);
            p += 5;
        }
        need(p);
        if (prevlen != previous) {
            throw corrupt("previous-entry length " + prevlen + " should be " + previous);
        }
        final int enc = b[p] & 0xff;
        switch (enc >> 6) {
            case 0:
                string(p + 1, enc & 0x3f);
                break;
            case 1:
                need(p + 2);
                string(p + 2, (enc & 0x3f) << 8 | (b[p + 1] & 0xff));
                break;
            case 2: {
                need(p + 5);
                final long n = (b[p + 1] & 0xffL) << 24 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 8
                    | (b[p + 4] & 0xffL);
                if (n > Integer.MAX_VALUE) {
                    throw corrupt("string length " + n);
                }
                string(p + 5, (int) n);
                break;
            }
            default:
                integer(enc);
                break;
        }
        previous = p - start;
        lastStart = start;
        count++;
        return true;
    }

    private void integer(final int enc) throws RdbException {
        isInt = true;
        final int n;
        switch (enc) {
            case 0xc0:
                n = 2;
                break;
            case 0xd0:
                n = 4;
                break;
            case 0xe0:
                n = 8;
                break;
            case 0xf0:
                n = 3;
                break;
            case 0xfe:
                n = 1;
                break;
            default:
                if (enc >= 0xf1 && enc <= 0xfd) {
                    intValue = (enc & 0x0f) - 1;
                    p += 1;
                    return;
                }
                throw corrupt("unknown entry encoding 0x" + Integer.toHexString(enc));
        }
        need(p + 1 + n);
        intValue = le(p + 1, n);
        p += 1 + n;
    }
}
