package dev.cinnabar.storage.type;

/** The Redis types, with the names TYPE replies and the RDB/OBJECT code paths use. */
public enum ValueType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream");

    private final String wireName;

    ValueType(final String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type of a stored value object. */
    public static ValueType of(final Object v) {
        if (v instanceof byte[] || v instanceof RawString) {
            return STRING;
        }
        if (v instanceof TypedValue t) {
            return t.type();
        }
        throw new IllegalStateException("unknown value class " + v.getClass());
    }
}
