package dev.cinnabar.protocol.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RawTextTest {
    @Property(tries = 20000)
    void everyByteStringSurvivesTheRoundTrip(@ForAll final byte[] bytes) {
        assertThat(RawText.encode(RawText.decode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 500)
    void validTextDecodesAsUtf8(@ForAll final String text) {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(RawText.decode(utf8)).isEqualTo(new String(utf8, StandardCharsets.UTF_8));
    }

    @Test
    void distinctInvalidBytesStayDistinct() {
        final String ff = RawText.decode(new byte[] {(byte) 0xff});
        final String fe = RawText.decode(new byte[] {(byte) 0xfe});
        assertThat(ff).isNotEqualTo(fe).isEqualTo(String.valueOf(RawText.rawByteChar((byte) 0xff)));
    }

    /** U+FF0FF is the pair U+DBBC U+DCFF: its second half is in the raw-byte range but is no raw byte (found by CI). */
    @Test
    void aSurrogatePairEndingInTheRawRangeIsText() {
        final byte[] b = {(byte) 0xf3, (byte) 0xbf, (byte) 0x83, (byte) 0xbf};
        final String s = RawText.decode(b);
        assertThat(s).isEqualTo(new String(Character.toChars(0xFF0FF)));
        assertThat(RawText.encode(s)).isEqualTo(b);
        final String rawAfterPair = s + RawText.rawByteChar((byte) 0xff);
        assertThat(RawText.encode(rawAfterPair)).containsExactly(0xf3 - 256, 0xbf - 256, 0x83 - 256, 0xbf - 256, -1);
    }

    @Test
    void validAndInvalidMix() {
        final byte[] b = {'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, 'b', (byte) 0xed, (byte) 0xb2, (byte) 0x80};
        final String s = RawText.decode(b);
        // "a", "é", then a truncated sequence and an encoded surrogate, each of their bytes on its own
        assertThat(s).startsWith("a\u00e9").hasSize(7);
        assertThat(RawText.encode(s)).isEqualTo(b);
    }
}
