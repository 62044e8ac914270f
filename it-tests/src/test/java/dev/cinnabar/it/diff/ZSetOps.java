package dev.cinnabar.it.diff;

import static dev.cinnabar.it.diff.GenContext.cmd;

import java.util.ArrayList;
import java.util.List;

/** Ops for sorted sets: ZADD's flags, every range form (rank, score, lex, inf), set algebra and pops. */
public final class ZSetOps {
    private ZSetOps() {
    }

    public static List<Op> zsets() {
        final String f = "zsets";
        final String[] p = GenContext.ZSETS;
        return List.of(
            new Op(f, "ZADD", 16, ZSetOps::zadd),
            new Op(f, "ZADDMANY", 1, g -> {
                final List<String> w = new ArrayList<>(List.of("ZADD", g.key(p)));
                final List<String> m = CollectionOps.many(g, List.of(), false);
                for (final String x : m) {
                    w.add(Integer.toString(g.between(-50, 50)));
                    w.add(x);
                }
                return cmd(w);
            }),
            new Op(f, "ZINCRBY", 4, g -> cmd("ZINCRBY", g.key(p), g.score(), g.element())),
            new Op(f, "ZREM", 4, g -> cmd(CollectionOps.elements(g, List.of("ZREM", g.key(p)), g.between(1, 3)))),
            new Op(f, "ZCARD", 2, g -> cmd("ZCARD", g.key(p))),
            new Op(f, "ZADDLEX", 5, g -> {
                final List<String> w = new ArrayList<>(List.of("ZADD", g.key(GenContext.ZLEX)));
                for (int i = g.between(1, 4); i > 0; i--) {
                    w.addAll(List.of("0", g.element()));
                }
                return cmd(w);
            }),
            new Op(f, "ZCOUNT", 3, g -> g.chance(50) ? cmd("ZCOUNT", g.key(p), scoreBound(g), scoreBound(g))
                : lex(cmd("ZLEXCOUNT", g.key(GenContext.ZLEX), lexBound(g), lexBound(g)), 1)),
            new Op(f, "ZSCORE", 4, g -> g.chance(60) ? cmd("ZSCORE", g.key(p), g.element())
                : cmd(CollectionOps.elements(g, List.of("ZMSCORE", g.key(p)), g.between(1, 3)))),
            new Op(f, "ZRANK", 3, g -> cmd(g.pick("ZRANK", "ZREVRANK"), g.key(p), g.element())),
            new Op(f, "ZRANGE", 10, g -> zrange(g, "ZRANGE")),
            new Op(f, "ZRANGESTORE", 3, g -> zrange(g, "ZRANGESTORE")),
            new Op(f, "ZRANGEOLD", 6, ZSetOps::oldRange),
            new Op(f, "ZREMRANGE", 3, g -> switch (g.between(0, 2)) {
                case 0 -> cmd("ZREMRANGEBYRANK", g.key(p), CollectionOps.index(g), CollectionOps.index(g));
                case 1 -> cmd("ZREMRANGEBYSCORE", g.key(p), scoreBound(g), scoreBound(g));
                default -> lex(cmd("ZREMRANGEBYLEX", g.key(GenContext.ZLEX), lexBound(g), lexBound(g)), 1);
            }),
            new Op(f, "ZSETOP", 6, g -> setOp(g, g.pick("ZUNION", "ZINTER", "ZDIFF"), null)),
            new Op(f, "ZSETOPSTORE", 5, g -> setOp(g, g.pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), g.key(p))),
            new Op(f, "ZINTERCARD", 2, g -> {
                final int n = g.between(1, 3);
                final List<String> w = sources(g, List.of("ZINTERCARD", g.chance(95) ? Integer.toString(n)
                    : g.count(0, 4)), n);
                if (g.chance(40)) {
                    w.addAll(List.of("LIMIT", g.count(0, 4)));
                }
                return cmd(w);
            }),
            new Op(f, "ZPOP", 4, g -> g.chance(50) ? cmd(g.pick("ZPOPMIN", "ZPOPMAX"), g.key(p))
                : cmd(g.pick("ZPOPMIN", "ZPOPMAX"), g.key(p), g.count(0, 4))),
            new Op(f, "ZMPOP", 2, g -> {
                final int n = g.between(1, 3);
                final List<String> w = CollectionOps.keys(g, List.of("ZMPOP", g.chance(95) ? Integer.toString(n)
                    : g.count(0, 4)), p, n);
                w.add(g.pick("MIN", "MAX", "max", "MID"));
                if (g.chance(40)) {
                    w.addAll(List.of("COUNT", g.count(0, 4)));
                }
                return cmd(w);
            }),
            new Op(f, "ZRANDMEMBER", 3, g -> CollectionOps.randomPick(g, "ZRANDMEMBER", p, "WITHSCORES")),
            new Op(f, "ZSCAN", 2, g -> CollectionOps.scan(g, "ZSCAN", g.key(p))),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("ZADD", g.key(p), "1"), List.of("ZADD", g.key(p), "1", "a", "2"),
                List.of("ZRANGE", g.key(p), "0"), List.of("ZUNION", "1"), List.of("ZINCRBY", g.key(p), "1"),
                List.of("ZRANGEBYLEX", g.key(p), "-"), List.of("ZUNIONSTORE", g.key(p), "2", "z0")))));
    }

    private static Cmd zadd(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("ZADD", g.key(GenContext.ZSETS)));
        if (g.chance(15)) {
            w.add(g.pick("NX", "XX", "nx"));
        }
        if (g.chance(15)) {
            w.add(g.pick("GT", "LT"));
        }
        if (g.chance(20)) {
            w.add(g.pick("CH", "ch"));
        }
        final boolean incr = g.chance(12);
        if (incr) {
            w.add("INCR");
        }
        final int n = incr && g.chance(90) ? 1 : g.between(1, 4);
        for (int i = 0; i < n; i++) {
            w.add(g.score());
            w.add(g.element());
        }
        if (g.chance(3)) {
            w.remove(w.size() - 1);
        }
        return cmd(w);
    }

    static String scoreBound(final GenContext g) {
        return g.chance(85) ? (g.chance(30) ? "(" : "") + g.between(-6, 6)
            : g.pick("-inf", "+inf", "(-inf", "(+inf", "inf", "(1.5", "2.5", "abc", "(", "1e400", "nan", "(nan");
    }

    static String lexBound(final GenContext g) {
        return g.chance(85) ? g.pick("[", "(") + g.pick("a", "b", "c", "foo", "1", "", "zz", "A")
            : g.pick("-", "+", "a", "", "(-", "[+");
    }

    /** A lex-range command: sent only while its sorted set holds a single score. */
    private static Cmd lex(final Cmd c, final int keyIndex) {
        return c.as(Cmd.Match.LEX).ordered(keyIndex);
    }

    private static Cmd zrange(final GenContext g, final String name) {
        final int by = g.between(0, 2);
        final String[] pool = by == 2 ? GenContext.ZLEX : GenContext.ZSETS;
        final List<String> w = new ArrayList<>(List.of(name));
        if (name.equals("ZRANGESTORE")) {
            w.add(g.key(pool));
        }
        w.add(g.key(pool));
        if (by == 0) {
            w.add(CollectionOps.index(g));
            w.add(CollectionOps.index(g));
        } else if (by == 1) {
            w.add(scoreBound(g));
            w.add(scoreBound(g));
            w.add(g.chance(95) ? "BYSCORE" : "BYLEX");
        } else {
            w.add(lexBound(g));
            w.add(lexBound(g));
            w.add("BYLEX");
        }
        if (g.chance(30)) {
            w.add("REV");
        }
        if (g.chance(by == 0 ? 5 : 40)) {
            w.addAll(List.of("LIMIT", g.count(-1, 4), g.count(-1, 5)));
        }
        if (!name.equals("ZRANGESTORE") && g.chance(by == 2 ? 5 : 40)) {
            w.add(g.pick("WITHSCORES", "withscores"));
        }
        if (name.equals("ZRANGESTORE") && g.chance(3)) {
            w.add("WITHSCORES");
        }
        final boolean byLex = w.stream().anyMatch(x -> x.equals("BYLEX"));
        return byLex ? lex(cmd(w), name.equals("ZRANGESTORE") ? 2 : 1) : cmd(w);
    }

    private static Cmd oldRange(final GenContext g) {
        final int by = g.between(0, 2);
        final String key = g.key(by == 2 ? GenContext.ZLEX : GenContext.ZSETS);
        final List<String> w = new ArrayList<>();
        switch (by) {
            case 0 -> w.addAll(List.of(g.pick("ZRANGE", "ZREVRANGE"), key, CollectionOps.index(g), CollectionOps.index(g)));
            case 1 -> w.addAll(List.of(g.pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), key, scoreBound(g), scoreBound(g)));
            default -> w.addAll(List.of(g.pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), key, lexBound(g), lexBound(g)));
        }
        if (!w.get(0).endsWith("LEX") && g.chance(40)) {
            w.add("WITHSCORES");
        }
        if (w.get(0).contains("BY") && g.chance(30)) {
            w.addAll(List.of("LIMIT", g.count(-1, 4), g.count(-1, 5)));
        }
        return by == 2 ? lex(cmd(w), 1) : cmd(w);
    }

    /** Source keys: mostly sorted sets, sometimes plain sets (score 1) or other types. */
    private static List<String> sources(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(g.chance(85) ? g.key(GenContext.ZSETS) : g.key(GenContext.SETS));
        }
        return w;
    }

    private static Cmd setOp(final GenContext g, final String name, final String dest) {
        final int n = g.between(1, 3);
        final List<String> head = new ArrayList<>(List.of(name));
        if (dest != null) {
            head.add(dest);
        }
        head.add(g.chance(95) ? Integer.toString(n) : g.count(0, 4));
        final List<String> w = sources(g, head, n);
        final boolean diff = name.startsWith("ZDIFF");
        if (!diff && g.chance(35)) {
            w.add("WEIGHTS");
            final int k = g.chance(95) ? n : n + 1;
            for (int i = 0; i < k; i++) {
                w.add(g.chance(90) ? g.pick("1", "2", "-1", "0", "0.5", "inf", "-inf") : g.pick("abc", "nan"));
            }
        }
        if (!diff && g.chance(35)) {
            w.addAll(List.of("AGGREGATE", g.pick("SUM", "MIN", "MAX", "max", "AVG")));
        }
        if (dest == null && g.chance(40)) {
            w.add("WITHSCORES");
        }
        if (g.chance(3)) {
            w.add(g.pick("WEIGHTS", "AGGREGATE", "BOGUS"));
        }
        return cmd(w);
    }
}
