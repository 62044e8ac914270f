package dev.cinnabar.protocol.resp;

import static dev.cinnabar.protocol.resp.DecoderHarness.byteByByte;
import static dev.cinnabar.protocol.resp.DecoderHarness.bytes;
import static dev.cinnabar.protocol.resp.DecoderHarness.feed;
import static dev.cinnabar.protocol.resp.DecoderHarness.multibulk;
import static dev.cinnabar.protocol.resp.DecoderHarness.randomChunks;
import static dev.cinnabar.protocol.resp.DecoderHarness.whole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.cinnabar.protocol.resp.DecoderHarness.Outcome;
import dev.cinnabar.protocol.util.RawText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request decoder against Redis 7.0.15's behaviour. Every expected error text and every
 * "waits for more" case below was observed on a real redis-server 7.0.15 by sending the same bytes
 * over a socket (the reply is "-ERR " + the text, then the server closes the connection).
 */
class RespCommandDecoderTest {
    private static final String PROTO = "Protocol error: ";

    /** Every frame below must decode the same at every single split point, byte by byte and in random chunks. */
    @ParameterizedTest
    @ValueSource(strings = {
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
        "*2\r\n$3\r\nGET\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n",
        "SET \"a b\" 'c d'\r\nGET \"\\x41\\x4a\\n\"\r\n",
        "\r\n\n   \r\n*0\r\n*-1\r\nPING\r\n",
        "PING\nPING\r\n*1\r\n$4\r\nPING\r\n",
        "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
        "*2\r\n$4\r\nECHO\r\n$1\r\na",
        "*1\r\nx4\r\nPING\r\n",
        "*1\r\n$-1\r\n",
        "GET \"unbalanced\r\n",
        "*1\r\n$4\r\nPING\r\n*abc\r\n",
    })
    void everySplitGivesTheSameOutcome(final String frame) {
        final byte[] in = bytes(frame);
        final Outcome expected = feed(in);
        for (int cut = 0; cut <= in.length; cut++) {
            assertSame(expected, feed(in, cut), "split at " + cut);
            for (int cut2 = cut; cut2 <= in.length; cut2++) {
                assertSame(expected, feed(in, cut, cut2), "split at " + cut + "," + cut2);
            }
        }
        assertSame(expected, byteByByte(in), "byte by byte");
        final Random rnd = new Random(frame.hashCode());
        for (int i = 0; i < 200; i++) {
            assertSame(expected, randomChunks(in, rnd, 7), "random chunks");
        }
    }

    private static void assertSame(final Outcome expected, final Outcome actual, final String how) {
        assertThat(actual.commands()).as(how).isEqualTo(expected.commands());
        assertThat(actual.error()).as(how).isEqualTo(expected.error());
        if (expected.error() == null) {
            assertThat(actual.pending()).as(how).isEqualTo(expected.pending());
        }
    }

    @Test
    void multibulkCommand() {
        final Outcome o = whole(multibulk("SET", "key", "value"));
        assertThat(o.commands()).containsExactly(List.of("SET", "key", "value"));
        assertThat(o.error()).isNull();
        assertThat(o.pending()).isZero();
    }

    @Test
    void bulkDataIsBinaryAndItsTrailingCrLfIsNotChecked() {
        // Redis skips the two bytes after bulk data without looking at them
        assertThat(whole("*2\r\n$4\r\nECHO\r\n$3\r\na\r\nXY*1\r\n$4\r\nPING\r\n").commands())
            .containsExactly(List.of("ECHO", "a\r\n"), List.of("PING"));
        assertThat(whole("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n").commands())
            .containsExactly(List.of("PING"), List.of("PING"));
        assertThat(whole("*2\r\n$4\r\nECHO\r\n$3\r\n\0\u00ff\n\r\n").commands())
            .containsExactly(List.of("ECHO", "\0\u00ff\n"));
    }

    @Test
    void incompleteBulkWaitsWithoutConsuming() {
        final Outcome o = whole("*2\r\n$4\r\nECHO\r\n$1\r\na");
        assertThat(o.commands()).isEmpty();
        assertThat(o.error()).isNull();
        assertThat(o.pending()).isEqualTo(19);
    }

    @Test
    void splitBetweenCrAndLf() {
        final byte[] in = bytes("*1\r\n$4\r\nPING\r\n");
        for (final int cr : new int[] {2, 6, 12}) {
            assertThat(in[cr]).isEqualTo((byte) '\r');
            final Outcome o = feed(in, cr + 1);
            assertThat(o.commands()).containsExactly(List.of("PING"));
        }
        // the count line is incomplete until the byte after CR has arrived
        final RespCommandDecoder d = new RespCommandDecoder();
        final Outcome half = feed(d, bytes("*1\r"));
        assertThat(half.commands()).isEmpty();
        assertThat(feed(d, bytes("\n$4\r\nPING\r\n")).commands()).containsExactly(List.of("PING"));
    }

    @Test
    void emptyAndNullMultibulksAreSkippedAsRedisDoes() {
        assertThat(whole("*0\r\n*-1\r\n*-5\r\nPING\r\n").commands()).containsExactly(List.of("PING"));
    }

    @Test
    void emptyInlineLinesAreSkipped() {
        assertThat(whole("\r\n\n   \r\n\t\nPING\r\n").commands()).containsExactly(List.of("PING"));
    }

    @Test
    void inlineWithLfOnlyAndCrInsideTheLine() {
        assertThat(whole("PING\nECHO a\rb\r\n").commands())
            .containsExactly(List.of("PING"), List.of("ECHO", "a", "b"));
    }

    @Test
    void inlineQuotesAndEscapes() {
        // observed: ECHO "\x41\x4a\n\t\zq" -> $6 "AJ\n\tzq"; ECHO 'it\'s \n' -> "it's \n" (7 bytes)
        assertThat(whole("ECHO \"\\x41\\x4a\\n\\t\\zq\"\r\n").commands())
            .containsExactly(List.of("ECHO", "AJ\n\tzq"));
        assertThat(whole("ECHO 'it\\'s \\n'\r\n").commands())
            .containsExactly(List.of("ECHO", "it's \\n"));
        assertThat(whole("SET \"\" ''\r\n").commands()).containsExactly(List.of("SET", "", ""));
        assertThat(whole("ECHO \"\\r\\b\\a\\\\\\\"\"\r\n").commands())
            .containsExactly(List.of("ECHO", "\r\b\u0007\\\""));
        assertThat(whole("ECHO \"\\xZZ\\x4\"\r\n").commands()).containsExactly(List.of("ECHO", "xZZx4"));
        assertThat(whole("ECHO a\"b c\"d\r\n").error()).isEqualTo(PROTO + "unbalanced quotes in request");
        assertThat(whole("ECHO a\"b c\" d\r\n").commands()).containsExactly(List.of("ECHO", "ab c", "d"));
        // vertical tab and form feed are blanks between words but part of a word
        assertThat(whole("ECHO \u000ba\u000cb\r\n").commands()).containsExactly(List.of("ECHO", "a\u000cb"));
        assertThat(whole("ECHO \"a\"\u000b\r\n").commands()).containsExactly(List.of("ECHO", "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET \"a b\r\n", "SET \"a\"b c\r\n", "SET 'a b\r\n", "SET 'a'b\r\n", "ECHO \"a\\\"\r\n"})
    void unbalancedQuotes(final String line) {
        assertThat(whole(line).error()).isEqualTo(PROTO + "unbalanced quotes in request");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "*2147483648\\r\\n|invalid multibulk length",
        "*9223372036854775808\\r\\n|invalid multibulk length",
        "*abc\\r\\n|invalid multibulk length",
        "*-0\\r\\n|invalid multibulk length",
        "*+1\\r\\n$4\\r\\nPING\\r\\n|invalid multibulk length",
        "*01\\r\\n$4\\r\\nPING\\r\\n|invalid multibulk length",
        "*\\r\\n|invalid multibulk length",
        "*1 \\r\\n|invalid multibulk length",
        "*1\\r\\nx4\\r\\nPING\\r\\n|expected '$', got 'x'",
        "*1\\r\\n\\r\\n|expected '$', got '\\r'",
        "*2\\r\\n$4\\r\\nECHO\\r\\n*1\\r\\n|expected '$', got '*'",
        "*1\\r\\n$-1\\r\\n|invalid bulk length",
        "*1\\r\\n$04\\r\\nPING\\r\\n|invalid bulk length",
        "*1\\r\\n$+4\\r\\nPING\\r\\n|invalid bulk length",
        "*1\\r\\n$536870913\\r\\n|invalid bulk length",
        "*1\\r\\n$\\r\\n|invalid bulk length",
        "*1\\r\\n$4x\\r\\n|invalid bulk length",
    })
    void malformedMultibulk(final String escaped, final String error) {
        final byte[] in = bytes(unescape(escaped));
        assertThat(feed(in).error()).isEqualTo(PROTO + unescape(error));
        assertThat(byteByByte(in).error()).isEqualTo(PROTO + unescape(error));
    }

    @Test
    void errorForAHighByteKeepsTheRawByte() {
        final String error = whole("*1\r\n\u00e94\r\nPING\r\n").error();
        assertThat(error).isEqualTo(PROTO + "expected '$', got '" + RawText.rawByteChar((byte) 0xe9) + "'");
    }

    @Test
    void commandsBeforeAnErrorAreDelivered() {
        final Outcome o = whole("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n");
        assertThat(o.commands()).containsExactly(List.of("PING"), List.of("PING"));
        assertThat(o.error()).isEqualTo(PROTO + "invalid multibulk length");
    }

    /** Real Redis 7.0.15 takes any count up to INT_MAX (the 1 MiB cap of older versions is gone) and waits. */
    @Test
    void multibulkCountUpToIntMaxIsAccepted() {
        final Outcome o = whole("*2147483647\r\n$4\r\nPING\r\n");
        assertThat(o.error()).isNull();
        assertThat(o.commands()).isEmpty();
        final Outcome big = whole("*1048577\r\n");
        assertThat(big.error()).isNull();
    }

    @Test
    void bulkLengthAtTheLimitIsAcceptedAndWaits() {
        final Outcome o = whole("*1\r\n$536870912\r\n");
        assertThat(o.error()).isNull();
        assertThat(o.commands()).isEmpty();
    }

    @Test
    void protoMaxBulkLenIsConfigurable() {
        final RespCommandDecoder d = new RespCommandDecoder();
        d.protoMaxBulkLen(100);
        assertThat(feed(d, bytes("*1\r\n$100\r\n")).error()).isNull();
        final RespCommandDecoder d2 = new RespCommandDecoder();
        d2.protoMaxBulkLen(100);
        assertThat(feed(d2, bytes("*1\r\n$101\r\n")).error()).isEqualTo(PROTO + "invalid bulk length");
        // a limit above what a Java array holds is capped rather than trusted
        final RespCommandDecoder d3 = new RespCommandDecoder();
        d3.protoMaxBulkLen(Long.MAX_VALUE);
        assertThat(feed(d3, bytes("*1\r\n$4294967296\r\n")).error()).isEqualTo(PROTO + "invalid bulk length");
    }

    @Test
    void inlineLimitIs64KiBWithoutNewline() {
        final int max = RespCommandDecoder.INLINE_MAX_SIZE;
        assertThat(max).isEqualTo(65536);
        assertThat(feed(bytes("A".repeat(max))).error()).isNull();
        assertThat(feed(bytes("A".repeat(max + 1))).error()).isEqualTo(PROTO + "too big inline request");
        assertThat(feed(bytes("*" + "1".repeat(max - 1))).error()).isNull();
        assertThat(feed(bytes("*" + "1".repeat(max + 1))).error()).isEqualTo(PROTO + "too big mbulk count string");
        assertThat(feed(bytes("*1\r\n$" + "1".repeat(max + 1))).error())
            .isEqualTo(PROTO + "too big bulk count string");
        // an inline line just under the limit, once complete, is a command
        final String longArg = "x".repeat(max - 10);
        assertThat(feed(bytes("ECHO " + longArg + "\r\n")).commands()).containsExactly(List.of("ECHO", longArg));
    }

    /** Redis finds line ends with strchr over a NUL-terminated buffer: a NUL hides the terminator. */
    @Test
    void nulInAHeaderOrInlineLineWaitsUntilTheLimit() {
        assertThat(whole("*1\0\r\n$4\r\nPING\r\n").commands()).isEmpty();
        assertThat(whole("*1\0\r\n$4\r\nPING\r\n").error()).isNull();
        assertThat(whole("*1\r\n$4\0\r\nPING\r\n").error()).isNull();
        assertThat(whole("PI\0NG\r\nPING\r\n").commands()).isEmpty();
        assertThat(whole("ECHO \"a\"\0\r\n").error()).isNull();
        final RespCommandDecoder d = new RespCommandDecoder();
        feed(d, bytes("PI\0NG\r\n"));
        assertThat(feed(d, new byte[RespCommandDecoder.INLINE_MAX_SIZE]).error())
            .isEqualTo(PROTO + "too big inline request");
    }

    @Test
    void unauthenticatedLimits() {
        assertThat(feed(DecoderHarness.decoder(true), bytes("*11\r\n")).error())
            .isEqualTo(PROTO + "unauthenticated multibulk length");
        assertThat(feed(DecoderHarness.decoder(true), bytes("*10\r\n")).error()).isNull();
        assertThat(feed(DecoderHarness.decoder(true), bytes("*1\r\n$16385\r\n")).error())
            .isEqualTo(PROTO + "unauthenticated bulk length");
        assertThat(feed(DecoderHarness.decoder(true), bytes("*1\r\n$16384\r\n")).error()).isNull();
        // empty and null multibulks are still skipped; inline requests have no argument limit
        assertThat(feed(DecoderHarness.decoder(true), bytes("*-5\r\n*0\r\nPING\r\n")).commands())
            .containsExactly(List.of("PING"));
        assertThat(feed(DecoderHarness.decoder(true), bytes("PING a b c d e f g h i j k l\r\n")).commands())
            .hasSize(1);
        // a count that is invalid anyway reports that first
        assertThat(feed(DecoderHarness.decoder(true), bytes("*2147483648\r\n")).error())
            .isEqualTo(PROTO + "invalid multibulk length");
        final RespCommandDecoder d = DecoderHarness.decoder(true);
        d.authRequired(false);
        assertThat(feed(d, bytes("*11\r\n")).error()).isNull();
    }

    @Test
    void bigBulksForceBufferGrowthAndStayIntact() {
        final Random rnd = new Random(7);
        final String big = randomText(rnd, 3 * 1024 * 1024 + 17);
        final String small = randomText(rnd, 100);
        final byte[] in = bytes(multibulk("SET", small, big) + multibulk("GET", small) + multibulk("SET", "k", big));
        final List<List<String>> expected = List.of(List.of("SET", small, big), List.of("GET", small),
            List.of("SET", "k", big));
        assertThat(feed(in).commands()).isEqualTo(expected);
        for (int i = 0; i < 5; i++) {
            assertThat(randomChunks(in, rnd, 70_000).commands()).isEqualTo(expected);
        }
        assertThat(randomChunks(in, rnd, 3).commands()).isEqualTo(expected);
    }

    @Test
    void argumentsStayValidWhileTheBufferGrowsUnderAPartialCommand() {
        final RespCommandDecoder d = new RespCommandDecoder();
        final Args args = new Args();
        final String big = "v".repeat(100_000);
        final byte[] in = bytes(multibulk("SET", "key", big));
        d.append(in, 0, 20, args);
        assertThat(nextQuietly(d, args)).isFalse();
        for (int pos = 20; pos < in.length; pos += 1000) {
            d.append(in, pos, Math.min(1000, in.length - pos), args);
            assertThat(nextQuietly(d, args)).isEqualTo(pos + 1000 >= in.length);
        }
        assertThat(args.count()).isEqualTo(3);
        assertThat(args.string(1)).isEqualTo("key");
        assertThat(args.string(2)).isEqualTo(big);
        assertThat(d.capacity()).isGreaterThanOrEqualTo(in.length);
    }

    private static boolean nextQuietly(final RespCommandDecoder d, final Args args) {
        try {
            return d.next(args);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pipelineOfTenThousandCommandsInOneBuffer() {
        final StringBuilder sb = new StringBuilder();
        final List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (i % 3 == 0) {
                sb.append("GET key:").append(i).append("\r\n");
                expected.add(List.of("GET", "key:" + i));
            } else {
                sb.append(multibulk("SET", "key:" + i, "value-" + i));
                expected.add(List.of("SET", "key:" + i, "value-" + i));
            }
        }
        final byte[] in = bytes(sb.toString());
        assertThat(feed(in).commands()).isEqualTo(expected);
        assertThat(randomChunks(in, new Random(1), 1500).commands()).isEqualTo(expected);
    }

    @Test
    void idleBufferIsTrimmedAndPendingTracksUnconsumedBytes() {
        final RespCommandDecoder d = new RespCommandDecoder();
        final byte[] in = bytes(multibulk("SET", "k", "x".repeat(200_000)));
        assertThat(feed(d, in).commands()).hasSize(1);
        assertThat(d.pending()).isZero();
        assertThat(d.capacity()).isGreaterThan(200_000);
        d.trimIfIdle();
        assertThat(d.capacity()).isEqualTo(RespCommandDecoder.INITIAL_SIZE);
        feed(d, bytes("*1\r\n$4\r\nPI"));
        assertThat(d.pending()).isEqualTo(10);
        d.trimIfIdle();
        assertThat(feed(d, bytes("NG\r\n")).commands()).containsExactly(List.of("PING"));
    }

    private static String randomText(final Random rnd, final int n) {
        final char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) rnd.nextInt(256);
        }
        return new String(c);
    }

    /** Turns the \r \n \\ escapes of the CSV table into bytes. */
    private static String unescape(final String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
