package dev.cinnabar.storage.commands;

import java.util.List;
import java.util.function.LongUnaryOperator;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Notify;

/** What the list, hash and set families share: type checks, empty-key removal, the scan loop. */
final class Containers {
    private Containers() {
    }

    /** Replies WRONGTYPE and returns true when a value is present but not of the expected class. */
    static boolean wrongType(final StorageCall c, final Object v, final Class<?> expected) {
        if (v != null && !expected.isInstance(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /**
     * The scan of the multi-key pops (BLPOP, LMPOP, BZPOPMIN, ZMPOP ...): the index of the first of
     * argv[from, to) holding a value, -1 when none does, -2 after a WRONGTYPE reply.
     */
    static int firstExisting(final StorageCall c, final Args a, final int from, final int to, final Class<?> expected) {
        for (int k = from; k < to; k++) {
            final Object v = c.db().lookupWrite(a, k);
            if (v != null) {
                return wrongType(c, v, expected) ? -2 : k;
            }
        }
        return -1;
    }

    /** Redis deletes a collection the moment it becomes empty, with a "del" notification. */
    static boolean deleteIfEmpty(final StorageCall c, final byte[] key, final int size) {
        if (size > 0) {
            return false;
        }
        final Database db = c.db();
        db.delete(key);
        c.keyspace().events().notify(Notify.GENERIC, "del", key, db.id());
        return true;
    }

    static void notify(final StorageCall c, final int type, final String event, final byte[] key) {
        c.keyspace().events().notify(type, event, key, c.db().id());
    }

    static void modified(final StorageCall c, final byte[] key) {
        c.keyspace().events().keyModified(c.db(), key);
    }

    /**
     * Redis's scan loop over a hashtable: steps until the cursor wraps, {@code count * 10} steps
     * were taken, or the collected list (fields and values both count, as in Redis) reaches count.
     */
    static long scanLoop(final long cursor, final long count, final List<byte[]> out, final LongUnaryOperator step) {
        long cur = cursor;
        long maxIterations = count * 10;
        do {
            cur = step.applyAsLong(cur);
        } while (cur != 0 && maxIterations-- > 0 && out.size() < count);
        return cur;
    }
}
