package dev.cinnabar.it.diff;

import static dev.cinnabar.it.diff.GenContext.cmd;
import static dev.cinnabar.it.diff.GenContext.timeCmd;

import java.util.ArrayList;
import java.util.List;

/** Ops for the string and generic key commands, including their syntax, type and arity errors. */
public final class StringKeyOps {
    private StringKeyOps() {
    }

    public static List<Op> strings() {
        final String f = "strings";
        return List.of(
            new Op(f, "GET", 10, g -> cmd("GET", g.stringKey())),
            new Op(f, "SET", 12, StringKeyOps::set),
            new Op(f, "SETNX", 2, g -> cmd("SETNX", g.stringKey(), g.value())),
            new Op(f, "SETEX", 2, g -> cmd("SETEX", g.stringKey(), g.relSeconds(), g.value())),
            new Op(f, "PSETEX", 2, g -> cmd("PSETEX", g.stringKey(), g.relMillis(), g.value())),
            new Op(f, "MGET", 3, g -> cmd(withKeys(g, List.of("MGET"), g.between(1, 4)))),
            new Op(f, "MSET", 3, g -> cmd(pairs(g, "MSET"))),
            new Op(f, "MSETNX", 2, g -> cmd(pairs(g, "MSETNX"))),
            new Op(f, "GETSET", 2, g -> cmd("GETSET", g.stringKey(), g.value())),
            new Op(f, "GETDEL", 2, g -> cmd("GETDEL", g.stringKey())),
            new Op(f, "GETEX", 4, StringKeyOps::getex),
            new Op(f, "APPEND", 4, g -> cmd("APPEND", g.stringKey(), g.value())),
            new Op(f, "STRLEN", 2, g -> cmd("STRLEN", g.stringKey())),
            new Op(f, "INCR", 4, g -> cmd(g.pick("INCR", "DECR"), g.stringKey())),
            new Op(f, "INCRBY", 4, g -> cmd(g.pick("INCRBY", "DECRBY"), g.stringKey(), g.integer())),
            new Op(f, "INCRBYFLOAT", 3, g -> cmd("INCRBYFLOAT", g.stringKey(), g.floatArg())),
            new Op(f, "GETRANGE", 3, g -> cmd(g.pick("GETRANGE", "SUBSTR"), g.stringKey(), offset(g), offset(g))),
            new Op(f, "SETRANGE", 3, g -> cmd("SETRANGE", g.stringKey(),
                g.chance(95) ? Integer.toString(g.between(0, 40)) : g.pick("-1", "536870912", "x"), g.value())),
            new Op(f, "LCS", 2, StringKeyOps::lcs));
    }

    /** Generic key commands over the keys of every family in the run, OBJECT ENCODING included. */
    public static List<Op> keys() {
        final String f = "keys";
        return List.of(
            new Op(f, "DEL", 4, g -> cmd(anyKeys(g, List.of(g.pick("DEL", "UNLINK")), g.between(1, 3)))),
            new Op(f, "EXISTS", 3, g -> cmd(anyKeys(g, List.of("EXISTS"), g.between(1, 4)))),
            new Op(f, "TOUCH", 1, g -> cmd(anyKeys(g, List.of("TOUCH"), g.between(1, 3)))),
            new Op(f, "TYPE", 3, g -> cmd("TYPE", g.anyKey())),
            new Op(f, "OBJECT", 3, g -> cmd("OBJECT", g.chance(95) ? "ENCODING" : g.pick("REFCOUNT", "FREQ", "BOGUS"),
                g.anyKey())),
            new Op(f, "RENAME", 3, g -> cmd(g.pick("RENAME", "RENAMENX"), g.anyKey(), g.anyKey())),
            new Op(f, "EXPIRE", 6, StringKeyOps::expire),
            new Op(f, "TTL", 4, g -> timeCmd(g.pick("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"), g.anyKey())),
            new Op(f, "PERSIST", 2, g -> cmd("PERSIST", g.anyKey())),
            new Op(f, "COPY", 2, StringKeyOps::copy),
            new Op(f, "MOVE", 2, g -> cmd("MOVE", g.anyKey(), g.db())),
            new Op(f, "DBSIZE", 1, g -> cmd("DBSIZE")),
            new Op(f, "RANDOMKEY", 1, g -> cmd("RANDOMKEY").as(Cmd.Match.SHAPE)),
            new Op(f, "SCAN", 1, g -> scan(g)),
            new Op(f, "SELECT", 2, g -> cmd("SELECT", g.db())));
    }

    private static Cmd scan(final GenContext g) {
        final Cmd c = CollectionOps.scan(g, "SCAN", null);
        if (!g.chance(30)) {
            return c;
        }
        final List<byte[]> argv = new ArrayList<>(c.argv());
        argv.add("TYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        argv.add(g.pick("string", "list", "hash", "set", "zset", "none").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new Cmd(argv, Cmd.Match.SCAN);
    }

    /** Unknown commands and wrong arity, which the dispatcher answers before any handler runs. */
    public static List<Op> errors() {
        final String f = "errors";
        return List.of(
            new Op(f, "unknown", 1, g -> cmd(g.pick("NOSUCHCOMMAND", "gett", "SETX"), g.key(), g.value())),
            new Op(f, "arity", 2, g -> cmd(g.pick(List.of("GET"), List.of("SET", g.key()), List.of("GET", "a", "b"),
                List.of("MGET"), List.of("APPEND", g.key()), List.of("INCRBY", g.key()), List.of("EXPIRE", g.key()),
                List.of("RENAME", g.key()), List.of("DBSIZE", "x"), List.of("TTL"), List.of("GETRANGE", g.key(), "1"),
                List.of("COPY", g.key()), List.of("MSETNX", g.key()), List.of("LCS", g.key())))));
    }

    /** Other types on the same keys, so string commands meet WRONGTYPE and key commands move them. */
    public static List<Op> otherTypes() {
        final String f = "types";
        return List.of(
            new Op(f, "RPUSH", 1, g -> cmd("RPUSH", g.key(), g.value(), g.value())),
            new Op(f, "SADD", 1, g -> cmd("SADD", g.key(), g.value(), g.value())),
            new Op(f, "HSET", 1, g -> cmd("HSET", g.key(), g.value(), g.value())),
            new Op(f, "ZADD", 1, g -> cmd("ZADD", g.key(), Integer.toString(g.between(-5, 5)), g.value())));
    }

    private static String offset(final GenContext g) {
        return g.chance(90) ? Integer.toString(g.between(-15, 15)) : g.pick("9223372036854775807",
            "-9223372036854775808", "abc");
    }

    private static List<String> anyKeys(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.anyKey());
        }
        return w;
    }

    private static List<String> withKeys(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.key());
        }
        return w;
    }

    private static List<String> pairs(final GenContext g, final String name) {
        final List<String> w = new ArrayList<>(List.of(name));
        final int n = g.between(1, 3);
        for (int i = 0; i < n; i++) {
            w.add(g.key());
            w.add(g.value());
        }
        if (g.chance(5)) {
            w.remove(w.size() - 1);
        }
        return w;
    }

    private static Cmd set(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("SET", g.stringKey(), g.value()));
        if (g.chance(30)) {
            w.add(g.pick("NX", "XX", "nx", "xx"));
        }
        if (g.chance(25)) {
            w.add(g.pick("GET", "get"));
        }
        if (g.chance(40)) {
            addExpiry(g, w, "KEEPTTL");
        }
        if (g.chance(4)) {
            w.add(g.rnd().nextInt(w.size() - 2) + 3, g.pick("NX", "XX", "EX", "KEEPTTL", "PXAT", "BOGUS", "GET"));
        }
        return cmd(w);
    }

    private static Cmd getex(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("GETEX", g.stringKey()));
        if (g.chance(70)) {
            addExpiry(g, w, "PERSIST");
        }
        if (g.chance(5)) {
            w.add(g.pick("PERSIST", "EX", "KEEPTTL", "BOGUS"));
        }
        return cmd(w);
    }

    private static void addExpiry(final GenContext g, final List<String> w, final String noArgOption) {
        switch (g.between(0, 4)) {
            case 0 -> w.addAll(List.of(g.pick("EX", "ex"), g.relSeconds()));
            case 1 -> w.addAll(List.of("PX", g.relMillis()));
            case 2 -> w.addAll(List.of("EXAT", g.absSeconds()));
            case 3 -> w.addAll(List.of("PXAT", g.absMillis()));
            default -> w.add(noArgOption);
        }
    }

    private static Cmd expire(final GenContext g) {
        final List<String> w = new ArrayList<>();
        switch (g.between(0, 3)) {
            case 0 -> w.addAll(List.of("EXPIRE", g.anyKey(), g.relSeconds()));
            case 1 -> w.addAll(List.of("PEXPIRE", g.anyKey(), g.relMillis()));
            case 2 -> w.addAll(List.of("EXPIREAT", g.anyKey(), g.absSeconds()));
            default -> w.addAll(List.of("PEXPIREAT", g.anyKey(), g.absMillis()));
        }
        if (g.chance(50)) {
            w.add(g.pick("NX", "XX", "GT", "LT", "gt"));
        }
        if (g.chance(5)) {
            w.add(g.pick("NX", "XX", "GT", "LT", "BOGUS"));
        }
        return cmd(w);
    }

    private static Cmd copy(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("COPY", g.anyKey(), g.anyKey()));
        if (g.chance(50)) {
            w.addAll(List.of("DB", g.db()));
        }
        if (g.chance(50)) {
            w.add("REPLACE");
        }
        if (g.chance(4)) {
            w.add(g.pick("BOGUS", "DB"));
        }
        return cmd(w);
    }

    private static Cmd lcs(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("LCS", g.stringKey(), g.stringKey()));
        if (g.chance(30)) {
            w.add("LEN");
        }
        if (g.chance(40)) {
            w.add("IDX");
        }
        if (g.chance(30)) {
            w.addAll(List.of("MINMATCHLEN", g.chance(90) ? Integer.toString(g.between(0, 4)) : "x"));
        }
        if (g.chance(30)) {
            w.add("WITHMATCHLEN");
        }
        return cmd(w);
    }
}
