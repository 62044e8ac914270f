package dev.cinnabar.it.diff;

import static dev.cinnabar.it.diff.GenContext.cmd;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops for lists, hashes and sets, with their option, range and error cases. Replies whose order
 * a hashtable decides are compared unordered (exactly when Redis holds the key as a listpack or
 * intset); random picks are compared on their shape, and a random SPOP is followed by DEL so the
 * two keyspaces stay equal.
 */
public final class CollectionOps {
    private CollectionOps() {
    }

    public static List<Op> lists() {
        final String f = "lists";
        final String[] p = GenContext.LISTS;
        return List.of(
            new Op(f, "PUSH", 14, g -> cmd(elements(g, List.of(g.pick("LPUSH", "RPUSH"), g.key(p)), g.between(1, 4)))),
            new Op(f, "PUSHX", 3, g -> cmd(elements(g, List.of(g.pick("LPUSHX", "RPUSHX"), g.key(p)), g.between(1, 2)))),
            new Op(f, "POP", 6, g -> cmd(g.chance(60) ? List.of(g.pick("LPOP", "RPOP"), g.key(p))
                : List.of(g.pick("LPOP", "RPOP"), g.key(p), g.count(0, 5)))),
            new Op(f, "LLEN", 2, g -> cmd("LLEN", g.key(p))),
            new Op(f, "LRANGE", 6, g -> cmd("LRANGE", g.key(p), index(g), index(g))),
            new Op(f, "LINDEX", 3, g -> cmd("LINDEX", g.key(p), index(g))),
            new Op(f, "LSET", 3, g -> cmd("LSET", g.key(p), index(g), g.element())),
            new Op(f, "LINSERT", 3, g -> cmd("LINSERT", g.key(p), g.pick("BEFORE", "AFTER", "after", "MIDDLE"),
                g.element(), g.element())),
            new Op(f, "LREM", 3, g -> cmd("LREM", g.key(p), g.count(-3, 3), g.element())),
            new Op(f, "LTRIM", 2, g -> cmd("LTRIM", g.key(p), index(g), index(g))),
            new Op(f, "LPOS", 3, CollectionOps::lpos),
            new Op(f, "LMOVE", 3, g -> g.chance(25) ? cmd("RPOPLPUSH", g.key(p), g.key(p))
                : cmd("LMOVE", g.key(p), g.key(p), g.pick("LEFT", "RIGHT", "left", "UP"), g.pick("LEFT", "RIGHT"))),
            new Op(f, "LMPOP", 2, CollectionOps::lmpop),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("LPUSH", g.key(p)), List.of("LRANGE", g.key(p), "0"),
                List.of("LINSERT", g.key(p), "BEFORE", "a"), List.of("LPOP", g.key(p), "1", "2"), List.of("LMPOP", "1"),
                List.of("LSET", g.key(p), "0")))));
    }

    public static List<Op> hashes() {
        final String f = "hashes";
        final String[] p = GenContext.HASHES;
        return List.of(
            new Op(f, "HSET", 14, g -> cmd(pairs(g, List.of(g.pick("HSET", "HMSET"), g.key(p)), g.between(1, 4)))),
            new Op(f, "HSETMANY", 1, g -> cmd(many(g, List.of("HSET", g.key(p)), true))),
            new Op(f, "HSETNX", 2, g -> cmd("HSETNX", g.key(p), g.element(), g.element())),
            new Op(f, "HGET", 5, g -> cmd("HGET", g.key(p), g.element())),
            new Op(f, "HMGET", 3, g -> cmd(elements(g, List.of("HMGET", g.key(p)), g.between(1, 4)))),
            new Op(f, "HDEL", 5, g -> cmd(elements(g, List.of("HDEL", g.key(p)), g.between(1, 3)))),
            new Op(f, "HLEN", 2, g -> cmd(g.pick("HLEN", "HSTRLEN"), g.key(p), g.element())),
            new Op(f, "HEXISTS", 2, g -> cmd("HEXISTS", g.key(p), g.element())),
            new Op(f, "HINCRBY", 4, g -> cmd("HINCRBY", g.key(p), g.element(), g.integer())),
            new Op(f, "HINCRBYFLOAT", 3, g -> cmd("HINCRBYFLOAT", g.key(p), g.element(), g.floatArg())),
            new Op(f, "HGETALL", 4, g -> unordered(g.pick("HGETALL", "HKEYS", "HVALS"), g.key(p))),
            new Op(f, "HRANDFIELD", 3, g -> randomPick(g, "HRANDFIELD", p, "WITHVALUES")),
            new Op(f, "HSCAN", 2, g -> scan(g, "HSCAN", g.key(p))),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("HSET", g.key(p), "f"), List.of("HGET", g.key(p)),
                List.of("HMSET", g.key(p), "a", "1", "b"), List.of("HINCRBY", g.key(p), "f"), List.of("HDEL", g.key(p)),
                List.of("HRANDFIELD", g.key(p), "1", "WITHVALUES", "x")))));
    }

    public static List<Op> sets() {
        final String f = "sets";
        final String[] p = GenContext.SETS;
        return List.of(
            new Op(f, "SADD", 16, g -> cmd(elements(g, List.of("SADD", g.key(p)), g.between(1, 5)))),
            new Op(f, "SADDMANY", 1, g -> cmd(many(g, List.of("SADD", g.key(p)), false))),
            new Op(f, "SREM", 5, g -> cmd(elements(g, List.of("SREM", g.key(p)), g.between(1, 3)))),
            new Op(f, "SCARD", 2, g -> cmd("SCARD", g.key(p))),
            new Op(f, "SISMEMBER", 3, g -> g.chance(50) ? cmd("SISMEMBER", g.key(p), g.element())
                : cmd(elements(g, List.of("SMISMEMBER", g.key(p)), g.between(1, 3)))),
            new Op(f, "SMEMBERS", 3, g -> unordered("SMEMBERS", g.key(p))),
            new Op(f, "SMOVE", 3, g -> cmd("SMOVE", g.key(p), g.key(p), g.element())),
            new Op(f, "SETOP", 6, g -> setOp(g, p)),
            new Op(f, "SETOPSTORE", 5, g -> cmd(keys(g, List.of(g.pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"),
                g.key(p)), p, g.between(1, 3)))),
            new Op(f, "SINTERCARD", 2, g -> {
                final int n = g.between(1, 3);
                final List<String> w = keys(g, List.of("SINTERCARD", g.chance(95) ? Integer.toString(n) : g.count(0, 5)),
                    p, n);
                if (g.chance(40)) {
                    w.addAll(List.of("LIMIT", g.count(0, 4)));
                }
                return cmd(w);
            }),
            new Op(f, "SRANDMEMBER", 3, CollectionOps::srandmember),
            new Op(f, "SPOP", 3, CollectionOps::spop),
            new Op(f, "SSCAN", 2, g -> scan(g, "SSCAN", g.key(p))),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("SADD", g.key(p)), List.of("SMOVE", g.key(p), "x"),
                List.of("SINTERCARD"), List.of("SINTERCARD", "2", g.key(p)), List.of("SPOP", g.key(p), "1", "2"),
                List.of("SISMEMBER", g.key(p))))));
    }

    static Cmd unordered(final String name, final String key) {
        return cmd(name, key).as(name.equals("HGETALL") ? Cmd.Match.UNORDERED_PAIRS : Cmd.Match.UNORDERED).ordered(1);
    }

    /** A whole HSCAN/SSCAN/ZSCAN (or SCAN) iteration with optional MATCH and COUNT. */
    static Cmd scan(final GenContext g, final String name, final String key) {
        final List<String> w = new ArrayList<>(List.of(name));
        if (key != null) {
            w.add(key);
        }
        w.add("0");
        if (g.chance(30)) {
            w.addAll(List.of("MATCH", g.pick("*", "a*", "?", "*o*", "[a-c]", "1*")));
        }
        if (g.chance(30)) {
            w.addAll(List.of("COUNT", g.chance(95) ? Integer.toString(g.between(1, 20)) : g.pick("0", "-1", "x")));
        }
        return cmd(w).as(Cmd.Match.SCAN);
    }

    /**
     * Many members at once (integers or names, values 1:1), enough to cross the default
     * conversion thresholds (128 and 512) now and then.
     */
    static List<String> many(final GenContext g, final List<String> head, final boolean pairs) {
        final List<String> w = new ArrayList<>(head);
        final int n = g.pick(20, 130, 600);
        final boolean ints = g.chance(50);
        final int base = g.between(0, 1000);
        for (int i = 0; i < n; i++) {
            final String m = ints ? Integer.toString(base + i) : "m" + (base + i);
            w.add(m);
            if (pairs) {
                w.add(m);
            }
        }
        return w;
    }

    static String index(final GenContext g) {
        return g.chance(92) ? Integer.toString(g.between(-8, 8)) : g.pick("9223372036854775807",
            "-9223372036854775808", "abc", "100");
    }

    static List<String> elements(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.element());
        }
        return w;
    }

    static List<String> keys(final GenContext g, final List<String> head, final String[] pool, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.key(pool));
        }
        return w;
    }

    private static List<String> pairs(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.element());
            w.add(g.chance(80) ? g.element() : g.integer());
        }
        return w;
    }

    private static Cmd lpos(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("LPOS", g.key(GenContext.LISTS), g.element()));
        if (g.chance(40)) {
            w.addAll(List.of("RANK", g.chance(90) ? Integer.toString(g.between(-3, 3)) : g.count(-3, 3)));
        }
        if (g.chance(40)) {
            w.addAll(List.of("COUNT", g.count(0, 3)));
        }
        if (g.chance(30)) {
            w.addAll(List.of("MAXLEN", g.count(0, 6)));
        }
        if (g.chance(4)) {
            w.add(g.pick("RANK", "BOGUS"));
        }
        return cmd(w);
    }

    private static Cmd lmpop(final GenContext g) {
        final int n = g.between(1, 3);
        final List<String> w = keys(g, List.of("LMPOP", g.chance(95) ? Integer.toString(n) : g.count(0, 4)),
            GenContext.LISTS, n);
        w.add(g.pick("LEFT", "RIGHT", "right", "MIDDLE"));
        if (g.chance(40)) {
            w.addAll(List.of("COUNT", g.count(0, 4)));
        }
        return cmd(w);
    }

    /**
     * HRANDFIELD / ZRANDMEMBER: without a count, or with a count below the size, the picks are
     * random (shape only); a count at least the size returns everything, in listpack order when
     * the key is compact, so that reply is compared as a whole.
     */
    static Cmd randomPick(final GenContext g, final String name, final String[] pool, final String withWord) {
        final String key = g.key(pool);
        if (g.chance(30)) {
            return cmd(name, key).as(Cmd.Match.SHAPE);
        }
        final boolean all = g.chance(50);
        final List<String> w = new ArrayList<>(List.of(name, key, all ? "100000" : g.count(-6, 6)));
        if (g.chance(50)) {
            w.add(withWord);
        }
        return all ? cmd(w).as(w.size() == 4 ? Cmd.Match.UNORDERED_PAIRS : Cmd.Match.UNORDERED).ordered(1)
            : cmd(w).as(Cmd.Match.SHAPE);
    }

    private static Cmd srandmember(final GenContext g) {
        final String key = g.key(GenContext.SETS);
        if (g.chance(30)) {
            return cmd("SRANDMEMBER", key).as(Cmd.Match.SHAPE);
        }
        final boolean all = g.chance(50);
        return all ? cmd("SRANDMEMBER", key, "100000").as(Cmd.Match.UNORDERED).ordered(1)
            : cmd("SRANDMEMBER", key, g.count(-6, 6)).as(Cmd.Match.SHAPE);
    }

    private static Cmd spop(final GenContext g) {
        final String key = g.key(GenContext.SETS);
        if (g.chance(50)) {
            // popping more than the set holds takes all of it: deterministic apart from the order
            return cmd("SPOP", key, "100000").as(Cmd.Match.UNORDERED);
        }
        final Cmd pop = g.chance(50) ? cmd("SPOP", key) : cmd("SPOP", key, g.count(0, 4));
        return pop.as(Cmd.Match.SHAPE).then(cmd("DEL", key));
    }

    private static Cmd setOp(final GenContext g, final String[] p) {
        final String name = g.pick("SINTER", "SUNION", "SDIFF");
        return cmd(keys(g, List.of(name), p, g.between(1, 3))).as(Cmd.Match.UNORDERED);
    }
}
