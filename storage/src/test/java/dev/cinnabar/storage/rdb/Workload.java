package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.storage.commands.StorageTestCall;

/**
 * The same commands for our keyspace and a real server: every type in every encoding Redis 7.0
 * saves, on both sides of each encoding threshold, with deadlines and several databases.
 * "SELECT n" switches the database on either side.
 */
final class Workload {
    /** A deadline far enough in the future for any test run. */
    static final long FAR = 4_000_000_000_000L;

    private Workload() {
    }

    static List<String[]> everyEncoding() {
        final List<String[]> w = new ArrayList<>();
        final SplittableRandom rnd = new SplittableRandom(42);
        strings(w, rnd);
        lists(w);
        sets(w);
        hashes(w);
        zsets(w);
        w.add(new String[] {"SELECT", "1"});
        w.add(new String[] {"SET", "db1-key", "in db 1"});
        w.add(new String[] {"RPUSH", "db1-list", "x", "y"});
        w.add(new String[] {"PEXPIREAT", "db1-list", Long.toString(FAR)});
        w.add(new String[] {"SELECT", "15"});
        w.add(new String[] {"HSET", "db15-hash", "f", "v"});
        w.add(new String[] {"SELECT", "0"});
        return w;
    }

    private static String repeat(final char c, final int n) {
        return String.valueOf(c).repeat(n);
    }

    private static String random(final SplittableRandom rnd, final int n) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('!' + rnd.nextInt(90)));
        }
        return sb.toString();
    }

    private static void strings(final List<String[]> w, final SplittableRandom rnd) {
        w.add(new String[] {"SET", "s:small", "v"});
        w.add(new String[] {"SET", "s:empty", ""});
        w.add(new String[] {"SET", "s:int8", "-100"});
        w.add(new String[] {"SET", "s:int16", "30000"});
        w.add(new String[] {"SET", "s:int32", "-2000000000"});
        w.add(new String[] {"SET", "s:int64", "9223372036854775807"});
        w.add(new String[] {"SET", "s:leading-zero", "007"});
        w.add(new String[] {"SET", "s:plus", "+5"});
        w.add(new String[] {"SET", "s:44", repeat('e', 44)});
        w.add(new String[] {"SET", "s:45", repeat('r', 45)});
        w.add(new String[] {"SET", "s:compressible", repeat('a', 1000) + "tail"});
        w.add(new String[] {"SET", "s:incompressible", random(rnd, 300)});
        w.add(new String[] {"SET", "s:big", repeat('z', 200_000)});
        w.add(new String[] {"SET", "s:binary", "nul\u0000 high\u00ff\u00e9 end"});
        w.add(new String[] {"SET", "s:appended", "start"});
        w.add(new String[] {"APPEND", "s:appended", "-more"});
        w.add(new String[] {"SET", "s:ttl", "expiring", "PXAT", Long.toString(FAR)});
        w.add(new String[] {"PFADD", "s:hll-sparse", "a", "b", "c"});
        final String[] many = new String[3002];
        many[0] = "PFADD";
        many[1] = "s:hll-dense";
        for (int i = 0; i < 3000; i++) {
            many[i + 2] = "e" + i;
        }
        w.add(many);
    }

    private static void lists(final List<String[]> w) {
        w.add(new String[] {"RPUSH", "l:small", "a", "1", "-2", "300", "70000", "-5000000000", "text", ""});
        final List<String> big = new ArrayList<>(List.of("RPUSH", "l:nodes"));
        for (int i = 0; i < 3000; i++) {
            big.add(i % 3 == 0 ? Integer.toString(i * 7919) : "element-" + i);
        }
        w.add(big.toArray(new String[0]));
        w.add(new String[] {"RPUSH", "l:big-element", "x", repeat('q', 20_000), "y"});
        w.add(new String[] {"LPUSH", "l:ttl", "a", "b"});
        w.add(new String[] {"PEXPIREAT", "l:ttl", Long.toString(FAR)});
    }

    private static void sets(final List<String[]> w) {
        w.add(new String[] {"SADD", "set:intset16", "1", "2", "3", "-7"});
        w.add(new String[] {"SADD", "set:intset32", "1", "100000"});
        w.add(new String[] {"SADD", "set:intset64", "1", "-9223372036854775808", "9223372036854775807"});
        w.add(numbered("SADD", "set:intset-512", 512, false));
        w.add(numbered("SADD", "set:intset-513", 513, false));
        w.add(new String[] {"SADD", "set:strings", "a", "b", "1", "c"});
        w.add(numbered("SADD", "set:large", 700, true));
    }

    private static String[] numbered(final String cmd, final String key, final int n, final boolean text) {
        final String[] a = new String[n + 2];
        a[0] = cmd;
        a[1] = key;
        for (int i = 0; i < n; i++) {
            a[i + 2] = text ? "m" + i : Integer.toString(i * 3 - 100);
        }
        return a;
    }

    private static void hashes(final List<String[]> w) {
        w.add(new String[] {"HSET", "h:small", "f1", "v1", "n", "12", "neg", "-4096", "big", "123456789012"});
        w.add(pairs("HSET", "h:128", 128, 10));
        w.add(pairs("HSET", "h:129", 129, 10));
        w.add(new String[] {"HSET", "h:value64", "f", repeat('v', 64)});
        w.add(new String[] {"HSET", "h:value65", "f", repeat('v', 65)});
        w.add(new String[] {"HSET", "h:field65", repeat('f', 65), "v"});
    }

    private static String[] pairs(final String cmd, final String key, final int n, final int valueLen) {
        final String[] a = new String[2 * n + 2];
        a[0] = cmd;
        a[1] = key;
        for (int i = 0; i < n; i++) {
            a[2 + 2 * i] = "field" + i;
            a[3 + 2 * i] = ("v" + i + repeat('.', valueLen)).substring(0, valueLen);
        }
        return a;
    }

    private static void zsets(final List<String[]> w) {
        w.add(new String[] {"ZADD", "z:small", "1", "one", "-2.5", "neg", "0.1", "tenth", "1e300", "huge", "inf",
            "top", "-inf", "bottom", "3", "three", "0", "zero", "-0", "negzero", "4503599627370496", "two52",
            "123456789.125", "frac"});
        w.add(zpairs("z:128", 128, 8));
        w.add(zpairs("z:129", 129, 8));
        w.add(new String[] {"ZADD", "z:member64", "1", repeat('m', 64)});
        w.add(new String[] {"ZADD", "z:member65", "1", repeat('m', 65), "2", "short"});
        w.add(new String[] {"ZADD", "z:ttl", "1", "a"});
        w.add(new String[] {"PEXPIREAT", "z:ttl", Long.toString(FAR)});
    }

    private static String[] zpairs(final String key, final int n, final int len) {
        final String[] a = new String[2 * n + 2];
        a[0] = "ZADD";
        a[1] = key;
        for (int i = 0; i < n; i++) {
            a[2 + 2 * i] = i % 4 == 0 ? Double.toString(i / 3.0) : Integer.toString(i * 11 - 600);
            a[3 + 2 * i] = ("mem" + i + repeat('-', len)).substring(0, len);
        }
        return a;
    }

    /** Runs the commands on our keyspace; fails on any error reply. */
    static void apply(final List<String[]> w, final StorageTestCall c) {
        for (final String[] argv : w) {
            if (argv[0].equals("SELECT")) {
                c.select(Integer.parseInt(argv[1]));
                continue;
            }
            final String r = c.run(argv);
            if (r.startsWith("-")) {
                throw new AssertionError(String.join(" ", argv).substring(0, 40) + " -> " + r);
            }
        }
        c.select(0);
    }

    /** Runs the commands on a real server; fails on any error reply. */
    static void apply(final List<String[]> w, final RealRedis r) throws IOException {
        for (final String[] argv : w) {
            final RespValue v = r.call(argv);
            if (v.isError()) {
                throw new AssertionError(argv[0] + " " + argv[1] + " -> " + v);
            }
        }
        r.call("SELECT", "0");
    }
}
