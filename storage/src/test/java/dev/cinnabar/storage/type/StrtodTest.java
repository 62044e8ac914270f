package dev.cinnabar.storage.type;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Which texts Redis 7.0.15 takes as a ZADD score (string2d) and as a score range bound (zslParseRange). */
class StrtodTest {
    private static double score(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Strtod.string2d(b, 0, b.length);
    }

    private static double bound(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Strtod.rangeBound(b, 0, b.length);
    }

    @Test
    void string2dNeedsTheWholeTextAndAFiniteNonZeroResult() {
        assertThat(score("1.5")).isEqualTo(1.5);
        assertThat(score("-0")).isEqualTo(-0.0);
        assertThat(score("0x10")).isEqualTo(16.0);
        assertThat(score("0x1.8p1")).isEqualTo(3.0);
        assertThat(score("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(score("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(score("1e-320")).isEqualTo(1e-320);
        assertThat(score("0e-400")).isEqualTo(0.0);
        assertThat(score(".5e+2")).isEqualTo(50.0);
        for (final String bad : new String[] {"", " 1", "1 ", "1\u0000", "1e400", "-1e400", "1e-400", "nan", "abc",
            "1e", "0x", "infinit", "--1", "."}) {
            assertThat(score(bad)).as(bad).isNaN();
        }
    }

    @Test
    void rangeBoundIsABareStrtodThatMustStopAtANul() {
        assertThat(bound("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(bound("")).isEqualTo(0.0);
        assertThat(bound(" 16")).isEqualTo(16.0);
        assertThat(bound("16\u0000x")).isEqualTo(16.0);
        assertThat(bound("1e-400")).isEqualTo(0.0);
        for (final String bad : new String[] {"nan", "abc", "   ", "1 ", "1e5x"}) {
            assertThat(bound(bad)).as(bad).isNaN();
        }
    }

    /** The String-free path for short decimals must round exactly as Java's (correctly rounded) parser. */
    @Test
    void shortDecimalsReadExactlyAsTheCorrectlyRoundedParser() {
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            final StringBuilder t = new StringBuilder(rnd.nextBoolean() ? "" : "-");
            final int digits = 1 + rnd.nextInt(17);
            final int point = rnd.nextInt(digits + 2) - 1;
            for (int d = 0; d < digits; d++) {
                if (d == point) {
                    t.append('.');
                }
                t.append((char) ('0' + rnd.nextInt(10)));
            }
            final String text = t.toString();
            assertThat(score(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
        assertThat(score("-0")).isEqualTo(-0.0);
        assertThat(score("0.1")).isEqualTo(0.1);
        assertThat(score("123456789012345")).isEqualTo(123456789012345.0);
        assertThat(score("9007199254740993")).isEqualTo(9007199254740992.0);
    }
}
