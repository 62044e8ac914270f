package dev.cinnabar.storage.type;

/** A non-string value: every collection type implements this. */
public interface TypedValue {
    ValueType type();

    /** The name OBJECT ENCODING reports (listpack, quicklist, intset, hashtable, skiplist, stream). */
    String encoding();

    /**
     * A copy for COPY (Redis's per-type dup), in the same encoding, that later writes to either
     * value leave the other unchanged.
     */
    TypedValue copy();

    /**
     * An estimate of the heap this value holds (object headers, arrays, element bytes), for MEMORY
     * USAGE and maxmemory accounting. Kept cheap: packed encodings compute it from their array
     * lengths; full structures may walk their elements.
     */
    long memoryBytes();
}
