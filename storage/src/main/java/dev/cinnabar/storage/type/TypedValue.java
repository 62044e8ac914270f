package dev.cinnabar.storage.type;

/** A non-string value: every collection type implements this. */
public interface TypedValue {
    ValueType type();

    /** The name OBJECT ENCODING reports (listpack, quicklist, intset, hashtable, skiplist, stream). */
    String encoding();
}
