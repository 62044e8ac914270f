package dev.cinnabar.storage.commands;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Doubles;
import dev.cinnabar.storage.type.ValueType;

/**
 * The timeout argument of the blocking commands, in seconds with sub-second precision, read as
 * Redis 7.0 reads it (getTimeoutFromObjectOrReply): milliseconds rounded up, 0 for "forever", and
 * a value too large for a 64-bit millisecond count reported as negative, as Redis's cast makes it.
 */
final class BlockingTimeout {
    static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
    static final String NEGATIVE = "ERR timeout is negative";

    private BlockingTimeout() {
    }

    /** Milliseconds to wait (0 = forever), or -1 after replying the error. */
    static long parse(final StorageCall c, final Args a, final int i) {
        final double seconds = Doubles.parse(a.array(), a.offset(i), a.length(i));
        if (Double.isNaN(seconds)) {
            c.reply().error(NOT_A_FLOAT);
            return -1;
        }
        final double ms = Math.ceil(seconds * 1000.0);
        if (ms < 0 || ms >= 0x1p63) {
            c.reply().error(NEGATIVE);
            return -1;
        }
        return (long) ms;
    }

    /**
     * Nothing to pop: a blocking command waits on argv[from, to); a non-blocking one, or one that
     * may not block (inside EXEC), answers the null array.
     */
    static void waitOrNull(final StorageCall c, final boolean blocking, final ValueType type, final long timeoutMs,
                           final Args a, final int from, final int to) {
        if (!blocking || !c.block(type, timeoutMs, keys(a, from, to))) {
            c.reply().nullArray();
        }
    }

    /** The keys argv[from, to) of a blocking command, copied to outlive the read buffer. */
    private static byte[][] keys(final Args a, final int from, final int to) {
        final byte[][] keys = new byte[to - from][];
        for (int i = from; i < to; i++) {
            keys[i - from] = a.copy(i);
        }
        return keys;
    }
}
