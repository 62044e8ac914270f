package dev.cinnabar.it.diff;

import static dev.cinnabar.it.diff.GenContext.cmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ops for the string-backed families (bitmaps, HyperLogLog) and geo. HyperLogLog registers are
 * compared through GET: the sparse and dense bytes, cached cardinality included, must be Redis's.
 *
 * <p>STOREDIST is left out: it stores distances with all 17 digits, and Java's sin/cos/asin differ
 * from glibc's in the last bit for a few percent of inputs, so a stored distance can differ in its
 * last digit (replies print distances with 4 decimals, where that never shows).
 */
public final class BitHllGeoOps {
    private static final String[] GEO_MEMBERS = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9",
        "Palermo", "Catania", "a", "1"};

    private BitHllGeoOps() {
    }

    public static List<Op> bitmaps() {
        final String f = "bitmaps";
        final String[] p = GenContext.BITMAPS;
        return List.of(
            new Op(f, "SETBIT", 12, g -> cmd("SETBIT", bitKey(g), bitOffset(g),
                g.chance(95) ? g.pick("0", "1", "1") : g.pick("2", "-1", "x", ""))),
            new Op(f, "GETBIT", 5, g -> cmd("GETBIT", bitKey(g), bitOffset(g))),
            new Op(f, "BITCOUNT", 5, g -> cmd(range(g, List.of("BITCOUNT", bitKey(g)), 2))),
            new Op(f, "BITPOS", 5, g -> cmd(range(g, List.of("BITPOS", bitKey(g), g.chance(95) ? g.pick("0", "1")
                : g.pick("2", "x")), 3))),
            new Op(f, "BITOP", 4, g -> {
                final String op = g.pick("AND", "OR", "XOR", "NOT", "and", "NAND");
                final int n = op.equals("NOT") && g.chance(90) ? 1 : g.between(1, 3);
                final List<String> w = new ArrayList<>(List.of("BITOP", op, g.key(p)));
                for (int i = 0; i < n; i++) {
                    w.add(bitKey(g));
                }
                return cmd(w);
            }),
            new Op(f, "BITFIELD", 7, BitHllGeoOps::bitfield),
            new Op(f, "GET", 2, g -> cmd("GET", g.key(p))),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("SETBIT", g.key(p), "1"), List.of("GETBIT", g.key(p)),
                List.of("BITOP", "AND", g.key(p)), List.of("BITCOUNT", g.key(p), "0"),
                List.of("BITFIELD", g.key(p), "GET", "u8"), List.of("BITFIELD_RO", g.key(p), "SET", "u8", "0", "1")))));
    }

    public static List<Op> hyperloglogs() {
        final String f = "hll";
        final String[] p = GenContext.HLLS;
        return List.of(
            new Op(f, "PFADD", 12, g -> {
                final List<String> w = new ArrayList<>(List.of("PFADD", g.key(p)));
                final int n = g.chance(85) ? g.between(0, 5) : g.between(50, 600);
                for (int i = 0; i < n; i++) {
                    w.add(g.chance(30) ? g.element() : "e" + g.between(0, 20_000));
                }
                return cmd(w);
            }),
            new Op(f, "PFCOUNT", 6, g -> cmd(CollectionOps.keys(g, List.of("PFCOUNT"), p, g.between(1, 3)))),
            new Op(f, "PFMERGE", 4, g -> cmd(CollectionOps.keys(g, List.of("PFMERGE", g.key(p)), p, g.between(0, 3)))),
            new Op(f, "GET", 4, g -> cmd("GET", g.key(p))),
            new Op(f, "corrupt", 1, g -> cmd("SETRANGE", g.key(p), Integer.toString(g.between(0, 30)),
                g.pick("x", "\u00ff\u00ff\u00ff", "HYLL"))),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("PFADD"), List.of("PFCOUNT"), List.of("PFMERGE")))));
    }

    public static List<Op> geo() {
        final String f = "geo";
        final String[] p = GenContext.GEOS;
        return List.of(
            new Op(f, "GEOADD", 10, BitHllGeoOps::geoadd),
            new Op(f, "GEOPOS", 3, g -> cmd(members(g, List.of("GEOPOS", g.key(p)), g.between(0, 3)))),
            new Op(f, "GEODIST", 3, g -> {
                final List<String> w = new ArrayList<>(List.of("GEODIST", g.key(p), member(g), member(g)));
                if (g.chance(70)) {
                    w.add(unit(g));
                }
                return cmd(w);
            }),
            new Op(f, "GEOHASH", 3, g -> cmd(members(g, List.of("GEOHASH", g.key(p)), g.between(0, 3)))),
            new Op(f, "GEOSEARCH", 6, g -> geosearch(g, false)),
            new Op(f, "GEOSEARCHSTORE", 3, g -> geosearch(g, true)),
            new Op(f, "GEORADIUS", 6, BitHllGeoOps::georadius),
            new Op(f, "ZRANGE", 2, g -> cmd("ZRANGE", g.key(p), "0", "-1", "WITHSCORES")),
            new Op(f, "arity", 1, g -> cmd(g.pick(List.of("GEOADD", g.key(p), "1", "2"), List.of("GEODIST", g.key(p), "a"),
                List.of("GEORADIUS", g.key(p), "1", "2", "3"), List.of("GEOSEARCH", g.key(p), "FROMMEMBER"),
                List.of("GEORADIUSBYMEMBER", g.key(p), "a", "1")))));
    }

    /** Mostly bitmap keys, sometimes a string key (any bytes are a bitmap) or another type. */
    private static String bitKey(final GenContext g) {
        return g.chance(85) ? g.key(GenContext.BITMAPS) : g.chance(70) ? g.key() : g.anyKey();
    }

    private static String bitOffset(final GenContext g) {
        return g.chance(93) ? Integer.toString(g.chance(80) ? g.between(0, 64) : g.between(0, 3000))
            : g.pick("-1", "x", "4294967296", "1.5", "");
    }

    /** Optional start/end (from {@code optional} args on) with an optional BYTE/BIT unit. */
    private static List<String> range(final GenContext g, final List<String> head, final int argsBefore) {
        final List<String> w = new ArrayList<>(head);
        if (g.chance(65)) {
            w.add(CollectionOps.index(g));
            if (argsBefore == 2 || g.chance(70)) {
                w.add(CollectionOps.index(g));
                if (g.chance(40)) {
                    w.add(g.pick("BYTE", "BIT", "bit", "WORD"));
                }
            }
        }
        return w;
    }

    private static Cmd bitfield(final GenContext g) {
        final boolean ro = g.chance(20);
        final List<String> w = new ArrayList<>(List.of(ro ? "BITFIELD_RO" : "BITFIELD", bitKey(g)));
        final int n = g.between(1, 4);
        for (int i = 0; i < n; i++) {
            final int kind = ro && g.chance(95) ? 0 : g.between(0, 3);
            switch (kind) {
                case 0 -> w.addAll(List.of("GET", bfType(g), bfOffset(g)));
                case 1 -> w.addAll(List.of("SET", bfType(g), bfOffset(g), bfValue(g)));
                case 2 -> w.addAll(List.of("INCRBY", bfType(g), bfOffset(g), bfValue(g)));
                default -> w.addAll(List.of("OVERFLOW", g.chance(95) ? g.pick("WRAP", "SAT", "FAIL", "fail") : "BAD"));
            }
        }
        return cmd(w);
    }

    private static String bfType(final GenContext g) {
        return g.chance(95) ? g.pick("i", "u", "u", "i") + g.pick(1, 2, 3, 4, 5, 7, 8, 8, 12, 16, 31, 32, 63, 64)
            : g.pick("u64", "i65", "x8", "i0", "");
    }

    private static String bfOffset(final GenContext g) {
        return g.chance(93) ? (g.chance(30) ? "#" : "") + g.between(0, 100) : g.pick("-1", "#x", "x", "#-1");
    }

    private static String bfValue(final GenContext g) {
        return g.chance(90) ? Integer.toString(g.between(-300, 300))
            : g.pick("9223372036854775807", "-9223372036854775808", "x", "18446744073709551615", "2147483648");
    }

    private static String member(final GenContext g) {
        return g.chance(90) ? GEO_MEMBERS[g.rnd().nextInt(GEO_MEMBERS.length)] : g.element();
    }

    private static List<String> members(final GenContext g, final List<String> head, final int n) {
        final List<String> w = new ArrayList<>(head);
        for (int i = 0; i < n; i++) {
            w.add(member(g));
        }
        return w;
    }

    private static String unit(final GenContext g) {
        return g.chance(95) ? g.pick("m", "km", "mi", "ft", "KM") : g.pick("yd", "");
    }

    /** Longitude and latitude around Sicily (so searches find members), now and then invalid. */
    private static List<String> lonLat(final GenContext g) {
        if (g.chance(4)) {
            return List.of(g.pick("181", "-180.5", "x", "13"), g.pick("86", "-85.06", "y", "38"));
        }
        if (g.chance(5)) {
            return List.of(g.pick("180", "-180", "0"), g.pick("85.05112878", "-85.05112878", "0"));
        }
        return List.of(String.format(Locale.ROOT, "%.6f", 12.5 + g.rnd().nextDouble() * 3),
            String.format(Locale.ROOT, "%.6f", 37 + g.rnd().nextDouble() * 1.5));
    }

    private static Cmd geoadd(final GenContext g) {
        final List<String> w = new ArrayList<>(List.of("GEOADD", g.key(GenContext.GEOS)));
        if (g.chance(15)) {
            w.add(g.pick("NX", "XX"));
        }
        if (g.chance(15)) {
            w.add("CH");
        }
        final int n = g.between(1, 3);
        for (int i = 0; i < n; i++) {
            w.addAll(lonLat(g));
            w.add(member(g));
        }
        if (g.chance(3)) {
            w.remove(w.size() - 1);
        }
        return cmd(w);
    }

    private static String radius(final GenContext g) {
        return g.chance(93) ? g.pick("1", "10", "50", "100", "200", "0", "1000", "0.5") : g.pick("-1", "x");
    }

    private static void searchOptions(final GenContext g, final List<String> w, final boolean store) {
        if (!store) {
            if (g.chance(35)) {
                w.add("WITHCOORD");
            }
            if (g.chance(35)) {
                w.add("WITHDIST");
            }
            if (g.chance(25)) {
                w.add("WITHHASH");
            }
        }
        if (g.chance(40)) {
            w.addAll(List.of("COUNT", g.count(1, 5)));
            if (g.chance(30)) {
                w.add("ANY");
            }
        } else if (g.chance(3)) {
            w.add("ANY");
        }
        if (g.chance(50)) {
            w.add(g.pick("ASC", "DESC"));
        }
    }

    private static Cmd geosearch(final GenContext g, final boolean store) {
        final List<String> w = new ArrayList<>();
        if (store) {
            w.addAll(List.of("GEOSEARCHSTORE", g.key(GenContext.GEOS), g.key(GenContext.GEOS)));
        } else {
            w.addAll(List.of("GEOSEARCH", g.key(GenContext.GEOS)));
        }
        if (g.chance(50)) {
            w.addAll(List.of("FROMMEMBER", member(g)));
        } else {
            w.add("FROMLONLAT");
            w.addAll(lonLat(g));
        }
        if (g.chance(50)) {
            w.addAll(List.of("BYRADIUS", radius(g), unit(g)));
        } else {
            w.addAll(List.of("BYBOX", radius(g), radius(g), unit(g)));
        }
        if (g.chance(3)) {
            w.addAll(List.of("BYRADIUS", "1", "km"));
        }
        searchOptions(g, w, store);

        return cmd(w);
    }

    private static Cmd georadius(final GenContext g) {
        final List<String> w = new ArrayList<>();
        final boolean byMember = g.chance(50);
        final boolean ro = g.chance(25);
        w.add((byMember ? "GEORADIUSBYMEMBER" : "GEORADIUS") + (ro ? "_RO" : ""));
        w.add(g.key(GenContext.GEOS));
        if (byMember) {
            w.add(member(g));
        } else {
            w.addAll(lonLat(g));
        }
        w.add(radius(g));
        w.add(unit(g));
        final boolean store = !ro && g.chance(25);
        searchOptions(g, w, store);
        if (store) {
            w.addAll(List.of("STORE", g.key(GenContext.GEOS)));
        }
        if (g.chance(3)) {
            w.add(g.pick("STORE", "WITHDIST", "BOGUS"));
        }
        return cmd(w);
    }
}
