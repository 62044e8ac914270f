package dev.cinnabar.storage.type;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;

/** Expected texts are what redis-server 7.0.15 (x86-64 long double) printed for HINCRBYFLOAT. */
class LongDoublesTest {
    private static BigDecimal parse(final String s) {
        final byte[] b = Bytes.ascii(s);
        return LongDoubles.parse(b, 0, b.length);
    }

    private static String sum(final String a, final String b) {
        return Bytes.string(LongDoubles.format(LongDoubles.add(parse(a), parse(b))));
    }

    @Test
    void formatsLikePercent17LfTrimmed() {
        assertThat(sum("0.1", "0.2")).isEqualTo("0.3");
        assertThat(sum("3000", "-3000")).isEqualTo("0");
        assertThat(sum("1502", "0.1")).isEqualTo("1502.09999999999999998");
        assertThat(sum("10.5", "0.003")).isEqualTo("10.503");
        assertThat(sum("0", "1e-20")).isEqualTo("0");
        assertThat(sum("0", "0x1.8p1")).isEqualTo("3");
        assertThat(sum("0", "1e300")).startsWith("1000000000000000000008997324079559193870523944273290747938")
            .hasSize(301);
    }

    @Test
    void refusesWhatString2ldRefuses() {
        for (final String bad : new String[] {"", " 1", "1 ", "1e", "nan", "x", "1e5000", "1e-5000", "0x", ".",
            "1\u0000", "-16\u0000\u0000mynewtext", "\u00001"}) {
            assertThat(parse(bad)).as(bad).isNull();
        }
        assertThat(parse("inf")).isSameAs(LongDoubles.INFINITE);
        assertThat(parse("-Infinity")).isSameAs(LongDoubles.INFINITE);
        assertThat(parse("+2")).isEqualByComparingTo("2");
        assertThat(parse(".5")).isEqualByComparingTo("0.5");
        assertThat(parse("1.")).isEqualByComparingTo("1");
    }

    @Test
    void overflowBecomesInfinite() {
        assertThat(LongDoubles.add(parse("1e4932"), parse("1e4932"))).isSameAs(LongDoubles.INFINITE);
    }
}
