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
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};
    private static final String[] VALUES = {"", "0", "1", "-1", "42", "-17", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1.5", "-0.25", "3e2", "0x10", " 1", "1 ", "abc",
        "hello world", "ohmytext", "mynewtext", "a\r\nb", "\u0000\u00ff\u0001", "12345678901234567890",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    static final int DATABASES = 3;

    private final Random rnd;
    private final long baseSeconds;
    private int opIndex;

    public GenContext(final Random rnd, final long nowMillis) {
        this.rnd = rnd;
        this.baseSeconds = nowMillis / 1000 + 864_000;
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

    public static List<String> keys() {
        return Arrays.asList(KEYS);
    }

    public String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
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
