package dev.cinnabar.it.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

import dev.cinnabar.it.support.RespClient;

/**
 * Sends the same requests to Cinnabar and to a real redis-server over two raw connections and
 * compares the replies (byte for byte unless the {@link Cmd.Match} says otherwise), then compares
 * the final keyspaces: every key's type, encoding, contents and TTL presence. A mismatch fails
 * with the op index, the command, both replies and the ops that led there; with keepGoing, every
 * mismatch is collected instead of stopping at the first.
 */
public final class Differential {
    private static final long TIME_TOLERANCE = 5_000;
    private static final int HISTORY = 12;
    private static final int MAX_REPORTED = 40;
    private static final int MAX_SCAN_CALLS = 10_000;

    /** -Ddiff.log=FILE appends every op and Redis's reply to FILE, to trace a key's history. */
    private static final java.io.PrintStream LOG = openLog();

    private final RespClient ours;
    private final RespClient redis;
    private final boolean keepGoing;
    private final Deque<String> history = new ArrayDeque<>();
    private final List<String> mismatches = new ArrayList<>();
    private int opIndex;

    public Differential(final RespClient ours, final RespClient redis, final boolean keepGoing) {
        this.ours = ours;
        this.redis = redis;
        this.keepGoing = keepGoing;
    }

    private static java.io.PrintStream openLog() {
        final String path = System.getProperty("diff.log", "");
        if (path.isEmpty()) {
            return null;
        }
        try {
            return new java.io.PrintStream(new java.io.FileOutputStream(path, true), true, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void run(final OpGenerator gen, final int ops) {
        for (int i = 0; i < ops; i++) {
            opIndex = i;
            for (Cmd cmd = gen.next(); cmd != null; cmd = cmd.then()) {
                try {
                    step(cmd);
                } catch (RuntimeException e) {
                    throw new AssertionError("op " + i + ": " + cmd + " failed: " + e + "\n  preceding ops:\n    "
                        + String.join("\n    ", history), e);
                }
            }
            if (Boolean.getBoolean("diff.dbg")) {
                sweepExpired();
                if (!Arrays.equals(ours.call("DBSIZE"), redis.call("DBSIZE"))) {
                    mismatch("DBG after op " + i + "\n    " + String.join("\n    ", history));
                }
            }
        }
    }

    private void step(final Cmd cmd) {
        if (cmd.match() == Cmd.Match.SCAN) {
            scan(cmd);
            return;
        }
        if (cmd.match() == Cmd.Match.LEX && mixedScores(cmd.argv().get(cmd.orderKey()))) {
            return;
        }
        if (cmd.argv().size() == 1 && new String(cmd.argv().get(0), StandardCharsets.ISO_8859_1).equalsIgnoreCase("DBSIZE")) {
            sweepExpired();
        }
        final byte[] a = ours.call(cmd.argv());
        final byte[] b = redis.call(cmd.argv());
        if (!same(cmd, a, b)) {
            mismatch("op " + opIndex + ": " + cmd + "\n  cinnabar: " + RespClient.printable(a) + "\n  redis:    "
                + RespClient.printable(b) + "\n  preceding ops:\n    " + String.join("\n    ", history));
        }
        remember(cmd, b);
    }

    /**
     * DBSIZE counts keys past their deadline that the server has not collected yet (SET ... EXAT 1
     * leaves one), and when active expiry gets to them differs between two servers; touching every
     * key of the pools deletes those on both, so the sizes compare exactly.
     */
    private void sweepExpired() {
        for (final String key : GenContext.keys()) {
            both("EXISTS", key);
        }
    }

    private void remember(final Cmd cmd, final byte[] reply) {
        final String r = RespClient.printable(reply);
        final String line = opIndex + ": " + cmd + " -> " + (r.length() > 300 ? r.substring(0, 300) + "..." : r);
        if (LOG != null) {
            LOG.println(line);
        }
        history.addLast(line);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    /** A whole SCAN-family iteration on each server, compared as the sets of elements returned. */
    private void scan(final Cmd cmd) {
        final int cursorArg = cmd.name().equalsIgnoreCase("SCAN") ? 1 : 2;
        final boolean pairs = cmd.name().equalsIgnoreCase("HSCAN") || cmd.name().equalsIgnoreCase("ZSCAN");
        final String a = scanAll(ours, cmd, cursorArg, pairs);
        final String b = scanAll(redis, cmd, cursorArg, pairs);
        if (!a.equals(b)) {
            mismatch("op " + opIndex + ": " + cmd + "\n  cinnabar: " + a + "\n  redis:    " + b
                + "\n  preceding ops:\n    " + String.join("\n    ", history));
        }
        remember(cmd, b.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String scanAll(final RespClient c, final Cmd cmd, final int cursorArg, final boolean pairs) {
        final List<byte[]> argv = new ArrayList<>(cmd.argv());
        final TreeSet<String> seen = new TreeSet<>();
        for (int calls = 0; calls < MAX_SCAN_CALLS; calls++) {
            final byte[] raw = c.call(argv);
            final Reply r = Reply.parse(raw);
            if (r.type() != '*' || r.items().size() != 2) {
                return RespClient.printable(raw);
            }
            final List<String> units = r.items().get(1).unordered(pairs);
            seen.addAll(units.subList(1, units.size()));
            final String next = r.items().get(0).text();
            if (next.equals("0")) {
                return seen.toString();
            }
            argv.set(cursorArg, next.getBytes(StandardCharsets.ISO_8859_1));
        }
        return "no end after " + MAX_SCAN_CALLS + " calls: " + seen;
    }

    /** Every database's size, and each key's type, encoding, value and whether it has a TTL, on both servers. */
    public void compareState(final List<String> keys, final int databases) {
        for (int db = 0; db < databases; db++) {
            final String d = Integer.toString(db);
            both("SELECT", d);
            sweepExpired();
            both("DBSIZE");
            for (final String key : keys) {
                final String type = new String(both("TYPE", key), StandardCharsets.ISO_8859_1);
                if (type.equals("+none\r\n")) {
                    continue;
                }
                final String encoding = new String(both("OBJECT", "ENCODING", key), StandardCharsets.ISO_8859_1);
                final boolean compact = encoding.contains("listpack") || encoding.contains("intset");
                switch (type) {
                    case "+string\r\n" -> both("GET", key);
                    case "+list\r\n" -> both("LRANGE", key, "0", "-1");
                    case "+hash\r\n" -> unorderedBoth(compact, true, "HGETALL", key);
                    case "+zset\r\n" -> both("ZRANGE", key, "0", "-1", "WITHSCORES");
                    case "+set\r\n" -> unorderedBoth(compact, false, "SMEMBERS", key);
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

    private void unorderedBoth(final boolean ordered, final boolean pairs, final String... args) {
        if (ordered) {
            both(args);
            return;
        }
        final List<String> a = Reply.parse(ours.call(args)).unordered(pairs);
        final List<String> b = Reply.parse(redis.call(args)).unordered(pairs);
        if (!a.equals(b)) {
            mismatch("final state: " + String.join(" ", args) + " (unordered)\n  cinnabar: " + a + "\n  redis:    " + b);
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

    private boolean same(final Cmd cmd, final byte[] a, final byte[] b) {
        if (Arrays.equals(a, b)) {
            return true;
        }
        final Reply x = Reply.parse(a);
        final Reply y = Reply.parse(b);
        switch (cmd.match()) {
            case TIME -> {
                if (x.type() != ':' || y.type() != ':') {
                    return false;
                }
                final long p = Long.parseLong(x.text());
                final long q = Long.parseLong(y.text());
                return p >= 0 && q >= 0 && Math.abs(p - q) <= TIME_TOLERANCE;
            }
            case UNORDERED, UNORDERED_PAIRS -> {
                if (x.type() != y.type() || !y.isAggregate() || compactOnRedis(cmd)) {
                    return false;
                }
                final boolean pairs = cmd.match() == Cmd.Match.UNORDERED_PAIRS;
                return x.unordered(pairs).equals(y.unordered(pairs));
            }
            case SHAPE -> {
                return x.shape().equals(y.shape());
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether the sorted set at key (on Redis) has elements of different scores. */
    private boolean mixedScores(final byte[] key) {
        final List<byte[]> first = new ArrayList<>();
        for (final String w : new String[] {"ZRANGE", "", "0", "0", "WITHSCORES"}) {
            first.add(w.getBytes(StandardCharsets.US_ASCII));
        }
        first.set(1, key);
        final Reply lo = Reply.parse(redis.call(first));
        first.set(2, "-1".getBytes(StandardCharsets.US_ASCII));
        first.set(3, "-1".getBytes(StandardCharsets.US_ASCII));
        final Reply hi = Reply.parse(redis.call(first));
        return lo.isAggregate() && hi.isAggregate() && !lo.items().isEmpty() && !lastLeaf(lo).equals(lastLeaf(hi));
    }

    /** The score of a one-element ZRANGE ... WITHSCORES (RESP2 flat, RESP3 nested pair). */
    private static String lastLeaf(final Reply r) {
        Reply x = r;
        while (x.isAggregate() && !x.items().isEmpty()) {
            x = x.items().get(x.items().size() - 1);
        }
        return x.text();
    }

    /** Whether the command's order key is a listpack or intset on Redis, whose single order must be matched. */
    private boolean compactOnRedis(final Cmd cmd) {
        if (cmd.orderKey() < 0) {
            return false;
        }
        final String enc = new String(redis.call(List.of("OBJECT".getBytes(StandardCharsets.US_ASCII),
            "ENCODING".getBytes(StandardCharsets.US_ASCII), cmd.argv().get(cmd.orderKey()))), StandardCharsets.ISO_8859_1);
        return enc.contains("listpack") || enc.contains("intset");
    }

    private static long integer(final byte[] reply) {
        final String s = new String(reply, StandardCharsets.ISO_8859_1).trim();
        if (!s.startsWith(":")) {
            throw new AssertionError("expected an integer reply, got " + RespClient.printable(reply));
        }
        return Long.parseLong(s.substring(1));
    }
}
