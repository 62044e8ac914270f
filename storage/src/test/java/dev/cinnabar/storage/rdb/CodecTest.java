package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The primitives under the RDB codec: CRC-64, LZF, listpack, intset. */
class CodecTest {
    @Test
    void crc64_matchesTheJonesCheckValue() {
        final byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void crc64_isTheSameInPiecesAsAtOnce() {
        final byte[] b = new byte[1000];
        new SplittableRandom(1).nextBytes(b);
        long c = 0;
        for (int i = 0; i < b.length; i += 37) {
            c = Crc64.update(c, b, i, Math.min(37, b.length - i));
        }
        assertThat(c).isEqualTo(Crc64.of(b, 0, b.length));
    }

    @Property(tries = 300)
    void lzf_roundTripsAnyBytes(@ForAll @Size(min = 1, max = 5000) final byte[] in) {
        final Lzf lzf = new Lzf();
        final byte[] out = new byte[in.length + in.length / 16 + 64];
        final int n = lzf.compress(in, 0, in.length, out, 0, out.length);
        assertThat(n).isPositive().as("always fits with slack").isLessThanOrEqualTo(out.length);
        assertThat(Lzf.decompress(out, 0, n, in.length)).isEqualTo(in);
    }

    @Test
    void lzf_compressesRepetitionAndRefusesWhenTooSmall() {
        final byte[] in = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(100)
            .getBytes(StandardCharsets.US_ASCII);
        final Lzf lzf = new Lzf();
        final byte[] out = new byte[in.length];
        final int n = lzf.compress(in, 0, in.length, out, 0, out.length);
        assertThat(n).isBetween(1, in.length / 20);
        assertThat(Lzf.decompress(out, 0, n, in.length)).isEqualTo(in);
        final byte[] noise = new byte[100];
        new SplittableRandom(3).nextBytes(noise);
        assertThat(lzf.compress(noise, 0, noise.length, new byte[96], 0, 96)).isZero();
    }

    @Test
    void lzf_rejectsCorruptInputAndLyingLengths() {
        // a back reference before the start of the output
        assertThat(Lzf.decompress(new byte[] {(byte) 0x20, 0x05}, 0, 2, 3)).isNull();
        // a literal run longer than the input
        assertThat(Lzf.decompress(new byte[] {0x05, 'a'}, 0, 2, 6)).isNull();
        // more output claimed than any input of this size can expand to
        assertThat(Lzf.decompress(new byte[] {0x00, 'a'}, 0, 2, Integer.MAX_VALUE - 100)).isNull();
        // fewer bytes produced than claimed
        assertThat(Lzf.decompress(new byte[] {0x00, 'a'}, 0, 2, 2)).isNull();
    }

    @Test
    void listpack_roundTripsEveryEncodingBoundary() throws Exception {
        final List<byte[]> entries = new ArrayList<>();
        for (final long v : new long[] {0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607,
            -8388608, 8388608, 2147483647L, -2147483648L, 2147483648L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            entries.add(Bytes.fromLong(v));
        }
        for (final int len : new int[] {0, 1, 63, 64, 127, 128, 4095, 4096, 20000}) {
            final byte[] s = new byte[len];
            Arrays.fill(s, (byte) 'x');
            entries.add(s);
        }
        entries.add("007".getBytes(StandardCharsets.US_ASCII));
        entries.add("-0".getBytes(StandardCharsets.US_ASCII));
        final ListpackWriter w = new ListpackWriter();
        for (final byte[] e : entries) {
            w.add(e);
        }
        final int size = w.finish();
        final ListpackReader r = new ListpackReader(Arrays.copyOf(w.array(), size), 0);
        for (final byte[] e : entries) {
            assertThat(r.next()).isTrue();
            assertThat(r.value()).isEqualTo(e);
        }
        assertThat(r.next()).isFalse();
    }

    @Test
    void intset_picksTheNarrowestWidthAndRoundTrips() throws Exception {
        assertThat(Intsets.write(new long[] {-5, 7})[0]).isEqualTo((byte) 2);
        assertThat(Intsets.write(new long[] {-5, 70000})[0]).isEqualTo((byte) 4);
        assertThat(Intsets.write(new long[] {Long.MIN_VALUE, 7})[0]).isEqualTo((byte) 8);
        final long[] v = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        assertThat(Intsets.read(Intsets.write(v), 0)).containsExactly(v);
    }

    @Test
    void ziplist_readsEveryIntegerEncoding() throws Exception {
        final Object[] entries = {0L, 12L, 13L, -128L, 300L, -8388608L, 8388607L, 2147483647L, Long.MIN_VALUE,
            "s", "x".repeat(100), "y".repeat(17000)};
        final ZiplistReader r = new ZiplistReader(TestRdb.ziplist(entries), 0);
        for (final Object e : entries) {
            assertThat(r.next()).isTrue();
            assertThat(Canon.text(r.value())).isEqualTo(e.toString());
        }
        assertThat(r.next()).isFalse();
    }
}
