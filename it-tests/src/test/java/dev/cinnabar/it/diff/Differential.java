package dev.cinnabar.it.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

import dev.cinnabar.it.support.RespClient;

/**
 * Sends the same requests to Cinnabar and to a real redis-server over two raw connections and
 * compares the replies byte for byte (clock-dependent integers within a tolerance), then compares
 * the final keyspaces. A mismatch fails with the op index, the command, both replies and the ops
 * that led there; with keepGoing, every mismatch is collected instead of stopping at the first.
 */
public final class Differential {
    private static final long TIME_TOLERANCE = 5_000;
    private static final int HISTORY = 12;
    private static final int MAX_REPORTED = 40;

    private final RespClient ours;
    private final RespClient redis;
    private final boolean keepGoing;
    private final Deque<String> history = new ArrayDeque<>();
    private final List<String> mismatches = new ArrayList<>();

    public Differential(final RespClient ours, final RespClient redis, final boolean keepGoing) {
        this.ours = ours;
        this.redis = redis;
        this.keepGoing = keepGoing;
    }

    public void run(final OpGenerator gen, final int ops) {
        for (int i = 0; i < ops; i++) {
            final Cmd cmd = gen.next();
            final byte[] a = ours.call(cmd.argv());
            final byte[] b = redis.call(cmd.argv());
            if (!same(cmd.match(), a, b)) {
                mismatch("op " + i + ": " + cmd + "\n  cinnabar: " + RespClient.printable(a) + "\n  redis:    "
                    + RespClient.printable(b) + "\n  preceding ops:\n    " + String.join("\n    ", history));
            }
            if (Boolean.getBoolean("diff.dbg") && !Arrays.equals(ours.call("DBSIZE"), redis.call("DBSIZE"))) {
                mismatch("DBG after op " + i + " " + cmd + "\n    " + String.join("\n    ", history));
            }
            history.addLast(i + ": " + cmd + " -> " + RespClient.printable(b));
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    /** Every database's size, and each key's type, value and whether it has a TTL, on both servers. */
    public void compareState(final List<String> keys, final int databases) {
        for (int db = 0; db < databases; db++) {
            final String d = Integer.toString(db);
            both("SELECT", d);
            both("DBSIZE");
            for (final String key : keys) {
                final String type = new String(both("TYPE", key), StandardCharsets.ISO_8859_1);
                switch (type) {
                    case "+string\r\n" -> both("GET", key);
                    case "+list\r\n" -> both("LRANGE", key, "0", "-1");
                    case "+hash\r\n" -> both("HGETALL", key);
                    case "+zset\r\n" -> both("ZRANGE", key, "0", "-1", "WITHSCORES");
                    case "+set\r\n" -> sortedBoth("SMEMBERS", key);
                    default -> {
                    }
                }
                ttlPresence(db, key);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " mismatch(es) between Cinnabar and Redis:\n"
                + String.join("\n", mismatches.subList(0, Math.min(MAX_REPORTED, mismatches.size()))));
        }
    }

    public List<String> mismatches() {
        return Collections.unmodifiableList(mismatches);
    }

    private byte[] both(final String... args) {
        final byte[] a = ours.call(args);
        final byte[] b = redis.call(args);
        if (!Arrays.equals(a, b)) {
            mismatch("final state: " + String.join(" ", args) + "\n  cinnabar: " + RespClient.printable(a)
                + "\n  redis:    " + RespClient.printable(b));
        }
        return b;
    }

    private void sortedBoth(final String... args) {
        final List<String> a = lines(ours.call(args));
        final List<String> b = lines(redis.call(args));
        if (!a.equals(b)) {
            mismatch("final state: " + String.join(" ", args) + " (sorted)\n  cinnabar: " + a + "\n  redis:    " + b);
        }
    }

    private void ttlPresence(final int db, final String key) {
        final String a = presence(ours.call("PTTL", key));
        final String b = presence(redis.call("PTTL", key));
        if (!a.equals(b)) {
            mismatch("final state: db " + db + " key " + key + " TTL: cinnabar " + a + ", redis " + b);
        }
    }

    private static String presence(final byte[] pttl) {
        final long v = integer(pttl);
        return v == -2 ? "no key" : v == -1 ? "no ttl" : "ttl";
    }

    private void mismatch(final String report) {
        mismatches.add(report);
        if (!keepGoing) {
            throw new AssertionError("Cinnabar and Redis differ at " + report);
        }
    }

    private static boolean same(final Cmd.Match match, final byte[] a, final byte[] b) {
        if (Arrays.equals(a, b)) {
            return true;
        }
        if (match != Cmd.Match.TIME || a.length == 0 || b.length == 0 || a[0] != ':' || b[0] != ':') {
            return false;
        }
        final long x = integer(a);
        final long y = integer(b);
        return x >= 0 && y >= 0 && Math.abs(x - y) <= TIME_TOLERANCE;
    }

    private static long integer(final byte[] reply) {
        final String s = new String(reply, StandardCharsets.ISO_8859_1).trim();
        if (!s.startsWith(":")) {
            throw new AssertionError("expected an integer reply, got " + RespClient.printable(reply));
        }
        return Long.parseLong(s.substring(1));
    }

    /** The elements of a flat array of bulk strings, sorted: order-insensitive comparison of set members. */
    private static List<String> lines(final byte[] reply) {
        final String s = new String(reply, StandardCharsets.ISO_8859_1);
        final List<String> out = new ArrayList<>();
        if (!s.startsWith("*") && !s.startsWith("~")) {
            out.add(s);
            return out;
        }
        int pos = s.indexOf("\r\n") + 2;
        while (pos < s.length() && s.charAt(pos) == '$') {
            final int eol = s.indexOf("\r\n", pos);
            final int len = Integer.parseInt(s.substring(pos + 1, eol));
            out.add(s.substring(eol + 2, eol + 2 + len));
            pos = eol + 2 + len + 2;
        }
        Collections.sort(out);
        return out;
    }
}
