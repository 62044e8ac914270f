package dev.cinnabar.storage.rdb;

/**
 * What {@link RdbLoader#parse} reports, record by record. A method may throw an
 * {@link RdbException} with offset -1 to stop the load; the loader gives it the offset of the
 * record it was handed.
 */
public interface RdbVisitor {
    /** An aux field (redis-ver, ctime, repl-id, lua, ...). */
    default void aux(final byte[] name, final byte[] value) throws RdbException {
    }

    /** A function library (FUNCTION2). */
    default void function(final byte[] code) throws RdbException {
    }

    default void selectDb(final int db) throws RdbException {
    }

    default void resizeDb(final long size, final long expiresSize) {
    }

    /**
     * One key. {@code value} is null for an empty collection (Redis skips those on load);
     * {@code expireMs}, {@code idleSeconds} and {@code freq} are -1 when the file has none.
     */
    void entry(int db, byte[] key, Object value, long expireMs, long idleSeconds, int freq) throws RdbException;
}
