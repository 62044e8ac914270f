package dev.cinnabar.storage.type;

import dev.cinnabar.protocol.util.Bytes;

/** Views over the two string representations (immutable byte[] and in-place {@link RawString}). */
public final class Strings {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;

    private Strings() {
    }

    public static boolean isString(final Object v) {
        return v instanceof byte[] || v instanceof RawString;
    }

    public static int length(final Object v) {
        return v instanceof byte[] b ? b.length : ((RawString) v).length();
    }

    public static byte[] array(final Object v) {
        return v instanceof byte[] b ? b : ((RawString) v).array();
    }

    /** The exact bytes (copies a RawString). */
    public static byte[] bytes(final Object v) {
        return v instanceof byte[] b ? b : ((RawString) v).toBytes();
    }

    /**
     * OBJECT ENCODING of a string: "int" when it is a long that Redis would store as one (at most
     * 20 chars, canonical), "embstr" up to 44 bytes, otherwise "raw"; in-place grown strings are raw.
     */
    public static String encoding(final Object v) {
        if (v instanceof RawString r) {
            return r.isEmbedded() ? "embstr" : "raw";
        }
        final byte[] b = (byte[]) v;
        if (b.length <= 20 && Bytes.isLong(b)) {
            return "int";
        }
        return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }
}
