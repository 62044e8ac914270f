package dev.cinnabar.storage.type;

/**
 * Heap sizes of the objects values are made of, for MEMORY USAGE and maxmemory accounting.
 *
 * <p>The figures are those of a 64-bit HotSpot JVM with compressed oops and compressed class
 * pointers (the default below 32 GiB of heap): a 12-byte object header, 4-byte references, a
 * 16-byte array header, every object padded to 8 bytes. They are estimates, not measurements, but
 * each value computes its own from these in O(1), so the keyspace can keep a running total.
 */
public final class MemorySizes {
    public static final int OBJECT_HEADER = 12;
    public static final int REFERENCE = 4;
    public static final int ARRAY_HEADER = 16;

    private MemorySizes() {
    }

    public static long align(final long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** An object with the given field bytes after its header. */
    public static long object(final int fieldBytes) {
        return align(OBJECT_HEADER + fieldBytes);
    }

    public static long byteArray(final long length) {
        return align(ARRAY_HEADER + length);
    }

    public static long refArray(final long length) {
        return align(ARRAY_HEADER + REFERENCE * length);
    }

    public static long intArray(final long length) {
        return align(ARRAY_HEADER + 4L * length);
    }

    public static long longArray(final long length) {
        return ARRAY_HEADER + 8 * length;
    }

    /** A RawString: the object (array reference and length) plus its array with spare capacity. */
    public static final long RAW_STRING = object(REFERENCE + 4);

    /** A keyspace Dict (seed, two table references, two counts, rehash index and pause count) and its tables. */
    public static long dict(final long buckets) {
        return object(7 * 4) + 2L * ARRAY_HEADER + REFERENCE * buckets;
    }

    /** The heap a stored value holds: a string's array, or the collection's own estimate. */
    public static long value(final Object v) {
        if (v instanceof byte[] b) {
            return byteArray(b.length);
        }
        if (v instanceof RawString r) {
            return RAW_STRING + byteArray(r.array().length);
        }
        return ((TypedValue) v).memoryBytes();
    }
}
