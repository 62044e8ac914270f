package dev.cinnabar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.protocol.client.RespValue.Type;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every reply type in the three output styles. The expected texts are what redis-cli 7.0.15 printed for the same
 * replies from redis-server 7.0.15 ({@code DEBUG PROTOCOL <type>}, EVAL with RESP3 Lua tables, MULTI/EXEC), with
 * {@code --no-raw} (TTY), {@code --raw} and {@code --csv}. In RAW and CSV style redis-cli adds the reply delimiter
 * (a newline by default) after the formatted text; the formatter leaves that to the caller.
 */
class ReplyFormatterTest {
    private static final ReplyFormatter TTY = new ReplyFormatter(ReplyFormatter.Mode.TTY, new byte[] {'\n'});
    private static final ReplyFormatter RAW = new ReplyFormatter(ReplyFormatter.Mode.RAW, new byte[] {'\n'});
    private static final ReplyFormatter CSV = new ReplyFormatter(ReplyFormatter.Mode.CSV, new byte[] {'\n'});

    private static final String ESCAPES = "a\u0000b\u00ff\"\\\n\r\t\u0007\b\u001b end";
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    static RespValue bulk(final String latin1) {
        return RespValue.text(Type.BULK, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static RespValue simple(final String s) {
        return RespValue.text(Type.SIMPLE, s.getBytes(StandardCharsets.US_ASCII));
    }

    static RespValue error(final String s) {
        return RespValue.text(Type.ERROR, s.getBytes(StandardCharsets.US_ASCII));
    }

    static RespValue integer(final long v) {
        return RespValue.integer(v);
    }

    static RespValue dbl(final String text) {
        return RespValue.text(Type.DOUBLE, text.getBytes(StandardCharsets.US_ASCII));
    }

    static RespValue array(final RespValue... e) {
        return RespValue.aggregate(Type.ARRAY, List.of(e));
    }

    static RespValue set(final RespValue... e) {
        return RespValue.aggregate(Type.SET, List.of(e));
    }

    static RespValue map(final RespValue... keysAndValues) {
        return RespValue.aggregate(Type.MAP, List.of(keysAndValues));
    }

    static RespValue push(final RespValue... e) {
        return RespValue.aggregate(Type.PUSH, List.of(e));
    }

    static RespValue verbatim(final String formatAndText) {
        return RespValue.text(Type.VERBATIM, formatAndText.getBytes(StandardCharsets.UTF_8));
    }

    private static String format(final ReplyFormatter f, final RespValue v) {
        return new String(f.format(v), StandardCharsets.ISO_8859_1);
    }

    /** {@code eval "return {1,{2,{3,'a'},{}},'x',false}" 0} */
    private static RespValue nestedArrays() {
        return array(integer(1), array(integer(2), array(integer(3), bulk("a")), array()), bulk("x"), RespValue.NIL);
    }

    /** {@code eval "return {1,2,3,4,5,6,7,8,9,{1,2},11}" 0}: two-digit indexes. */
    private static RespValue elevenElements() {
        return array(integer(1), integer(2), integer(3), integer(4), integer(5), integer(6), integer(7), integer(8),
            integer(9), array(integer(1), integer(2)), integer(11));
    }

    /** {@code multi; set a 1; lpush a x; exec} */
    private static RespValue execWithError() {
        return array(simple("OK"), error(WRONGTYPE));
    }

    /** RESP3 {@code eval "redis.setresp(3); return {map={a={1,2}, b=1, c={map={x=1}}, d={}}}" 0} */
    private static RespValue nestedMap() {
        return map(bulk("a"), array(integer(1), integer(2)), bulk("d"), array(), bulk("c"),
            map(bulk("x"), integer(1)), bulk("b"), integer(1));
    }

    /** RESP3 {@code DEBUG PROTOCOL map} */
    private static RespValue debugProtocolMap() {
        return map(integer(0), RespValue.FALSE, integer(1), RespValue.TRUE, integer(2), RespValue.FALSE);
    }

    @Nested
    class Tty {
        @Test
        void scalars() {
            assertThat(format(TTY, bulk("Hello World"))).isEqualTo("\"Hello World\"\n");
            assertThat(format(TTY, bulk(""))).isEqualTo("\"\"\n");
            assertThat(format(TTY, simple("OK"))).isEqualTo("OK\n");
            assertThat(format(TTY, integer(12345))).isEqualTo("(integer) 12345\n");
            assertThat(format(TTY, integer(-7))).isEqualTo("(integer) -7\n");
            assertThat(format(TTY, RespValue.NIL)).isEqualTo("(nil)\n");
            assertThat(format(TTY, error("ERR unknown command 'foo', with args beginning with: ")))
                .isEqualTo("(error) ERR unknown command 'foo', with args beginning with: \n");
            assertThat(format(TTY, dbl("3.141"))).isEqualTo("(double) 3.141\n");
            assertThat(format(TTY, RespValue.TRUE)).isEqualTo("(true)\n");
            assertThat(format(TTY, RespValue.FALSE)).isEqualTo("(false)\n");
        }

        @Test
        void verbatimStringsArePrintedAsTheyAre() {
            assertThat(format(TTY, verbatim("txt:This is a verbatim\nstring"))).isEqualTo("This is a verbatim\nstring\n");
        }

        @Test
        void stringsAreQuotedWithCStyleEscapes() {
            assertThat(format(TTY, bulk(ESCAPES))).isEqualTo("\"a\\x00b\\xff\\\"\\\\\\n\\r\\t\\a\\b\\x1b end\"\n");
            assertThat(format(TTY, bulk("caf\u00c3\u00a9"))).isEqualTo("\"caf\\xc3\\xa9\"\n");
        }

        @Test
        void emptyAggregates() {
            assertThat(format(TTY, array())).isEqualTo("(empty array)\n");
            assertThat(format(TTY, map())).isEqualTo("(empty hash)\n");
            assertThat(format(TTY, set())).isEqualTo("(empty set)\n");
        }

        @Test
        void indexesAreRightAlignedAndNestedArraysIndented() {
            assertThat(format(TTY, array(bulk("a"), bulk("b"), bulk("c"), bulk("d"), bulk("e"), bulk("f"),
                bulk("g"), bulk("h"), bulk("i"), bulk("j"), bulk("k"), bulk("l"))))
                .isEqualTo(" 1) \"a\"\n 2) \"b\"\n 3) \"c\"\n 4) \"d\"\n 5) \"e\"\n 6) \"f\"\n 7) \"g\"\n 8) \"h\"\n"
                    + " 9) \"i\"\n10) \"j\"\n11) \"k\"\n12) \"l\"\n");
            assertThat(format(TTY, nestedArrays())).isEqualTo("1) (integer) 1\n2) 1) (integer) 2\n"
                + "   2) 1) (integer) 3\n      2) \"a\"\n   3) (empty array)\n3) \"x\"\n4) (nil)\n");
            assertThat(format(TTY, elevenElements())).isEqualTo(" 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n"
                + " 4) (integer) 4\n 5) (integer) 5\n 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n"
                + " 9) (integer) 9\n10) 1) (integer) 1\n    2) (integer) 2\n11) (integer) 11\n");
        }

        @Test
        void errorsInsideArrays() {
            assertThat(format(TTY, execWithError())).isEqualTo("1) OK\n2) (error) " + WRONGTYPE + "\n");
        }

        @Test
        void mapsAndSets() {
            assertThat(format(TTY, debugProtocolMap()))
                .isEqualTo("1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)\n");
            assertThat(format(TTY, nestedMap())).isEqualTo("1# \"a\" => \n   1) (integer) 1\n   2) (integer) 2\n"
                + "2# \"d\" => (empty array)\n3# \"c\" => 1# \"x\" => (integer) 1\n4# \"b\" => (integer) 1\n");
            assertThat(format(TTY, set(bulk("a")))).isEqualTo("1~ \"a\"\n");
            assertThat(format(TTY, array(integer(1), dbl("1.5"), map(bulk("k"), set(bulk("m"))))))
                .isEqualTo("1) (integer) 1\n2) (double) 1.5\n3) 1# \"k\" => 1~ \"m\"\n");
        }

        @Test
        void mapValuesSpanningSeveralLinesStartOnTheirOwnLine() {
            assertThat(format(TTY, map(bulk("a"), array(array(integer(1), integer(2))))))
                .isEqualTo("1# \"a\" => \n   1) 1) (integer) 1\n      2) (integer) 2\n");
            assertThat(format(TTY, map(bulk("a"), array(integer(1))))).isEqualTo("1# \"a\" => 1) (integer) 1\n");
            assertThat(format(TTY, map(bulk("a"), map(bulk("y"), integer(2), bulk("x"), integer(1)))))
                .isEqualTo("1# \"a\" => \n   1# \"y\" => (integer) 2\n   2# \"x\" => (integer) 1\n");
            assertThat(format(TTY, array(integer(1), integer(2), integer(3), integer(4), integer(5), integer(6),
                integer(7), integer(8), integer(9), integer(10), map(bulk("a"), array(integer(1), integer(2))))))
                .endsWith("10) (integer) 10\n11) 1# \"a\" => \n       1) (integer) 1\n       2) (integer) 2\n");
        }

        @Test
        void pushMessagesLookLikeArrays() {
            assertThat(format(TTY, push(bulk("subscribe"), bulk("ch1"), integer(1))))
                .isEqualTo("1) \"subscribe\"\n2) \"ch1\"\n3) (integer) 1\n");
        }

        /**
         * redis-cli 7.0.15 cannot print a RESP3 big number ("Unknown reply type: 13", exit 1); we print it in the
         * style later redis-cli versions use instead of aborting.
         */
        @Test
        void bigNumbersAreShownInsteadOfAborting() {
            final RespValue big = RespValue.text(Type.BIG_NUMBER,
                "1234567999999999999999999999999999999".getBytes(StandardCharsets.US_ASCII));
            assertThat(format(TTY, big)).isEqualTo("(big number) 1234567999999999999999999999999999999\n");
            assertThat(format(RAW, big)).isEqualTo("1234567999999999999999999999999999999");
            assertThat(format(CSV, big)).isEqualTo("1234567999999999999999999999999999999");
        }
    }

    @Nested
    class Raw {
        @Test
        void scalars() {
            assertThat(format(RAW, bulk("Hello World"))).isEqualTo("Hello World");
            assertThat(format(RAW, simple("OK"))).isEqualTo("OK");
            assertThat(format(RAW, integer(12345))).isEqualTo("12345");
            assertThat(format(RAW, RespValue.NIL)).isEmpty();
            assertThat(format(RAW, dbl("3.141"))).isEqualTo("3.141");
            assertThat(format(RAW, RespValue.TRUE)).isEqualTo("(true)");
            assertThat(format(RAW, RespValue.FALSE)).isEqualTo("(false)");
            assertThat(format(RAW, verbatim("txt:This is a verbatim\nstring"))).isEqualTo("This is a verbatim\nstring");
        }

        @Test
        void errorsEndWithANewlineOfTheirOwn() {
            assertThat(format(RAW, error("ERR unknown command 'foo', with args beginning with: ")))
                .isEqualTo("ERR unknown command 'foo', with args beginning with: \n");
            assertThat(format(RAW, execWithError())).isEqualTo("OK\n" + WRONGTYPE + "\n");
        }

        @Test
        void bytesAreWrittenUnescaped() {
            assertThat(format(RAW, bulk(ESCAPES))).isEqualTo(ESCAPES);
        }

        @Test
        void aggregatesAreFlattenedWithTheBulkDelimiter() {
            assertThat(format(RAW, array(integer(0), integer(1), integer(2)))).isEqualTo("0\n1\n2");
            assertThat(format(RAW, set(integer(0), integer(1), integer(2)))).isEqualTo("0\n1\n2");
            assertThat(format(RAW, array())).isEmpty();
            assertThat(format(RAW, nestedArrays())).isEqualTo("1\n2\n3\na\n\nx\n");
            final ReplyFormatter comma = new ReplyFormatter(ReplyFormatter.Mode.RAW, new byte[] {','});
            assertThat(format(comma, array(integer(0), integer(1), integer(2)))).isEqualTo("0,1,2");
        }

        @Test
        void mapEntriesAreKeySpaceValue() {
            assertThat(format(RAW, debugProtocolMap())).isEqualTo("0 (false)\n1 (true)\n2 (false)");
            assertThat(format(RAW, nestedMap())).isEqualTo("a 1\n2\nd \nc x 1\nb 1");
            assertThat(format(RAW, map())).isEmpty();
        }
    }

    @Nested
    class Csv {
        @Test
        void scalars() {
            assertThat(format(CSV, bulk("Hello World"))).isEqualTo("\"Hello World\"");
            assertThat(format(CSV, simple("OK"))).isEqualTo("\"OK\"");
            assertThat(format(CSV, integer(12345))).isEqualTo("12345");
            assertThat(format(CSV, RespValue.NIL)).isEqualTo("NULL");
            assertThat(format(CSV, dbl("3.141"))).isEqualTo("3.141");
            assertThat(format(CSV, RespValue.TRUE)).isEqualTo("true");
            assertThat(format(CSV, RespValue.FALSE)).isEqualTo("false");
            assertThat(format(CSV, verbatim("txt:This is a verbatim\nstring")))
                .isEqualTo("\"This is a verbatim\\nstring\"");
            assertThat(format(CSV, bulk(ESCAPES))).isEqualTo("\"a\\x00b\\xff\\\"\\\\\\n\\r\\t\\a\\b\\x1b end\"");
        }

        @Test
        void errors() {
            assertThat(format(CSV, error("ERR unknown command 'foo', with args beginning with: ")))
                .isEqualTo("ERROR,\"ERR unknown command 'foo', with args beginning with: \"");
            assertThat(format(CSV, execWithError())).isEqualTo("\"OK\",ERROR,\"" + WRONGTYPE + "\"");
        }

        @Test
        void aggregatesBecomeOneLine() {
            assertThat(format(CSV, array(integer(0), integer(1), integer(2)))).isEqualTo("0,1,2");
            assertThat(format(CSV, array())).isEmpty();
            assertThat(format(CSV, nestedArrays())).isEqualTo("1,2,3,\"a\",,\"x\",NULL");
            assertThat(format(CSV, debugProtocolMap())).isEqualTo("0,false,1,true,2,false");
            assertThat(format(CSV, nestedMap())).isEqualTo("\"a\",1,2,\"d\",,\"c\",\"x\",1,\"b\",1");
            assertThat(format(CSV, array(integer(1), dbl("1.5"), map(bulk("k"), set(bulk("m"))))))
                .isEqualTo("1,1.5,\"k\",\"m\"");
        }
    }

    @Test
    void reprIsTheQuotedForm() {
        assertThat(ReplyFormatter.repr("key:1".getBytes(StandardCharsets.US_ASCII))).isEqualTo("\"key:1\"");
        assertThat(ReplyFormatter.repr(new byte[] {0, (byte) 0xfe})).isEqualTo("\"\\x00\\xfe\"");
    }
}
