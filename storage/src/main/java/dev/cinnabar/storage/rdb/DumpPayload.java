package dev.cinnabar.storage.rdb;

import java.io.IOException;

import dev.cinnabar.storage.commands.StorageSettings;

/**
 * The DUMP / RESTORE payload: a value serialized as in an RDB file (type byte and body), then the
 * RDB version as 2 little-endian bytes, then the CRC-64 of everything before it as 8
 * little-endian bytes. Redis: cluster.c createDumpPayload(), verifyDumpPayload().
 */
public final class DumpPayload {
    private static final int FOOTER = 10;

    private DumpPayload() {
    }

    /**
     * The payload of a value; {@code compression} is rdbcompression, as Redis applies it to DUMP too.
     *
     * @throws IllegalArgumentException for an object that is not one of the keyspace's value classes
     */
    public static byte[] create(final Object value, final boolean compression, final int listMaxListpackSize) {
        final RdbOutput out = new RdbOutput(null, compression);
        try {
            new RdbValueWriter(out, listMaxListpackSize).write(value);
        } catch (RdbException e) {
            throw new IllegalArgumentException(e.problem(), e);
        }
        out.le(RdbType.VERSION, 2);
        out.le(out.crc(), 8);
        return out.toBytes();
    }

    /**
     * Redis's verifyDumpPayload: long enough for the footer, an RDB version this server reads
     * (at most 10), and a matching checksum.
     */
    public static boolean verify(final byte[] p, final int off, final int len) {
        if (len < FOOTER) {
            return false;
        }
        final int footer = off + len - FOOTER;
        final int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
        if (version > RdbType.VERSION) {
            return false;
        }
        long stored = 0;
        for (int k = 7; k >= 0; k--) {
            stored = (stored << 8) | (p[footer + 2 + k] & 0xff);
        }
        return Crc64.of(p, off, len - 8) == stored;
    }

    /**
     * The value of a verified payload, built under {@code settings}; null for an empty collection
     * (RESTORE answers those "Bad data format", as Redis does).
     *
     * @throws RdbException when the body is corrupt or of a type Cinnabar cannot hold
     */
    public static Object parse(final byte[] p, final int off, final int len, final StorageSettings settings)
        throws RdbException {
        final RdbInput in = new RdbInput(p, off, len - FOOTER);
        try {
            return new RdbValueReader(in, settings).read(in.u8());
        } catch (RdbException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbException(in.offset(), e.getMessage());
        }
    }
}
