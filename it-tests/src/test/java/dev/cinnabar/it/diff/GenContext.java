package dev.cinnabar.it.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What an {@link Op} draws from: the seeded random source, a small key space, value shapes that
 * hit Redis's edge cases, and expiry times chosen so that both servers reach the same decision.
 *
 * <p>Why the expiry scheme: the two servers execute a command a few milliseconds apart, so two
 * relative TTLs must never be equal or close (EXPIRE ... GT/LT would then depend on timing). A
 * relative TTL is therefore 100000 s plus 10 s per op index (strictly increasing through the run),
 * and an absolute one is ten days or more in the future, in steps of 1000 s: no two kinds collide.
 */
public final class GenContext {
    static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};
    /** Key pools of the other families; a family draws mostly from its own, so types rarely clash. */
    static final String[] LISTS = {"l0", "l1", "l2", "l3"};
    static final String[] HASHES = {"h0", "h1", "h2", "h3"};
    static final String[] SETS = {"s0", "s1", "s2", "s3", "s4"};
    static final String[] ZSETS = {"z0", "z1", "z2", "z3", "z4"};
    /** Sorted sets whose members all get score 0, for the lex ranges (only defined on a single score). */
    static final String[] ZLEX = {"y0", "y1", "y2"};
    static final String[] BITMAPS = {"b0", "b1", "b2", "b3"};
    static final String[] HLLS = {"p0", "p1", "p2", "p3"};
    static final String[] GEOS = {"g0", "g1", "g2"};
    private static final String[] ELEMENTS = {"a", "b", "c", "d", "e", "f", "foo", "bar", "zap", "zip", "A", "aa",
        "", "0", "1", "2", "3", "-1", "10", "17", "100", "-100", "007", "1.5", "+5", "9223372036854775807",
        "\u0000\u00ff", "\u00e9t\u00e9", "x\r\ny", "a long element of more than sixty-four bytes, so that listpacks convert"};
    private static final String[] VALUES = {"", "0", "1", "-1", "42", "-17", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1.5", "-0.25", "3e2", "0x10", " 1", "1 ", "abc",
        "hello world", "ohmytext", "mynewtext", "a\r\nb", "\u0000\u00ff\u0001", "12345678901234567890",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    static final int DATABASES = 3;

    private final Random rnd;
    private final long baseSeconds;
    private int opIndex;
    private String[] anyKeys = KEYS;

    public GenContext(final Random rnd, final long nowMillis) {
        this.rnd = rnd;
        this.baseSeconds = nowMillis / 1000 + 864_000;
    }

    /** The keys generic key commands (DEL, COPY, RENAME...) draw from: those of every family in the run. */
    public GenContext anyKeysFrom(final List<String[]> pools) {
        final List<String> all = new ArrayList<>();
        for (final String[] p : pools) {
            all.addAll(Arrays.asList(p));
        }
        anyKeys = all.toArray(new String[0]);
        return this;
    }

    void opIndex(final int i) {
        this.opIndex = i;
    }

    public Random rnd() {
        return rnd;
    }

    public boolean chance(final int percent) {
        return rnd.nextInt(100) < percent;
    }

    public int between(final int lo, final int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    @SafeVarargs
    public final <T> T pick(final T... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    /** Every key any family may create, for the final comparison. */
    public static List<String> keys() {
        final List<String> all = new ArrayList<>();
        for (final String[] p : new String[][] {KEYS, LISTS, HASHES, SETS, ZSETS, ZLEX, BITMAPS, HLLS, GEOS}) {
            all.addAll(Arrays.asList(p));
        }
        return all;
    }

    public String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    /** A string key; now and then any key of the run (WRONGTYPE, or a bitmap / HLL edited as a string). */
    public String stringKey() {
        return chance(92) ? key() : anyKey();
    }

    /** A key of the given pool, or now and then any key of the run (type errors, cross-type ops). */
    public String key(final String[] pool) {
        return chance(92) ? pool[rnd.nextInt(pool.length)] : anyKey();
    }

    public String anyKey() {
        return anyKeys[rnd.nextInt(anyKeys.length)];
    }

    /** A member, field or list element: short text, integers (intset), binary, and one long element. */
    public String element() {
        return chance(88) ? ELEMENTS[rnd.nextInt(ELEMENTS.length - 1)]
            : chance(50) ? ELEMENTS[ELEMENTS.length - 1] : "m" + rnd.nextInt(400);
    }

    /** A count or index argument: mostly small, sometimes negative, huge or not a number. */
    public String count(final int lo, final int hi) {
        return chance(90) ? Integer.toString(between(lo, hi))
            : pick("0", "-1", "abc", "9223372036854775807", "-9223372036854775808", "1.5", "");
    }

    /** A score: integers, fractions, signed zeros, infinities, and invalid ones. */
    public String score() {
        return chance(80) ? Integer.toString(between(-10, 10)) : chance(70) ? pick("0.5", "-2.5", "1e3", "1.1",
            "3.0000000000000004", "-0", "+inf", "-inf", "inf", "1e-320", "123456789.123456789")
            : pick("nan", "abc", "", "1e400", "1\u0000", " 1");
    }

    public String value() {
        return VALUES[rnd.nextInt(VALUES.length)];
    }

    public String integer() {
        return chance(85) ? Integer.toString(between(-100, 100))
            : pick("9223372036854775807", "-9223372036854775808", "abc", "1.5", "", "99999999999999999999");
    }

    public String floatArg() {
        return chance(85) ? pick("1", "-1", "0.5", "-2.25", "3e3", "1.1", "10.0", "0")
            : pick("inf", "-inf", "nan", "abc", "", "1e400", "5.0e-400");
    }

    public String relSeconds() {
        return chance(92) ? Long.toString(100_000L + opIndex * 10L) : pick("0", "-1", "abc", "1.5",
            "9223372036854775807", "-9223372036854775808", "9223372036854775");
    }

    public String relMillis() {
        return chance(92) ? Long.toString((100_000L + opIndex * 10L) * 1000 + 7) : pick("0", "-5", "abc",
            "9223372036854775807", "-9223372036854775808");
    }

    public String absSeconds() {
        return chance(90) ? Long.toString(baseSeconds + between(0, 9) * 1000L) : pick("1", "0", "-1", "abc",
            "9223372036854775807");
    }

    public String absMillis() {
        return chance(90) ? Long.toString((baseSeconds + between(0, 9) * 1000L) * 1000 + 123)
            : pick("1", "0", "-1", "abc", "9223372036854775807");
    }

    public String db() {
        return chance(93) ? Integer.toString(rnd.nextInt(DATABASES)) : pick("16", "-1", "x", "99999999999");
    }

    /** A command from words; each word is ISO-8859-1 so "\u00ff" is the byte 0xff. */
    public static Cmd cmd(final String... words) {
        return new Cmd(argv(Arrays.asList(words)), Cmd.Match.EXACT);
    }

    public static Cmd timeCmd(final String... words) {
        return new Cmd(argv(Arrays.asList(words)), Cmd.Match.TIME);
    }

    public static Cmd cmd(final List<String> words) {
        return new Cmd(argv(words), Cmd.Match.EXACT);
    }

    private static List<byte[]> argv(final List<String> words) {
        final List<byte[]> argv = new ArrayList<>(words.size());
        for (final String w : words) {
            argv.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        return argv;
    }
}
