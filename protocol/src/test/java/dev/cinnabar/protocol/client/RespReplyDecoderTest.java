package dev.cinnabar.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RespReplyDecoderTest {
    private static final String ALL_TYPES = "+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhe\r\nl\r\n$-1\r\n*-1\r\n_\r\n"
        + "*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n+x\r\n%2\r\n+k\r\n,1.5\r\n$1\r\nz\r\n#t\r\n~1\r\n#f\r\n"
        + ">2\r\n$7\r\nmessage\r\n(123456789012345678901234567890\r\n=8\r\ntxt:ab\r\n\r\n!3\r\nERR\r\n"
        + "|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n";

    private static List<String> decodeInChunks(final byte[] wire, final int chunk) throws RespProtocolException {
        final RespReplyDecoder d = new RespReplyDecoder(64);
        final List<String> out = new ArrayList<>();
        for (int off = 0; off < wire.length; off += chunk) {
            d.feed(wire, off, Math.min(chunk, wire.length - off));
            for (RespValue v = d.next(); v != null; v = d.next()) {
                out.add(v.toString() + (v.attributes() != null ? " @" + v.attributes() : ""));
            }
        }
        assertThat(d.buffered()).isZero();
        assertThat(d.idle()).isTrue();
        return out;
    }

    @Test
    void decodesEveryReplyTypeWhateverTheFragmentation() throws Exception {
        final byte[] wire = ALL_TYPES.getBytes(StandardCharsets.UTF_8);
        final List<String> whole = decodeInChunks(wire, wire.length);
        assertThat(whole).containsExactly("SIMPLE OK", "ERROR ERR bad", "INTEGER -42", "BULK he\r\nl", "NULL", "NULL",
            "NULL", "ARRAY [INTEGER 1, ARRAY [BULK a, ARRAY []], SIMPLE x]", "MAP [SIMPLE k, DOUBLE 1.5, BULK z, TRUE]",
            "SET [FALSE]", "PUSH [BULK message, BIG_NUMBER 123456789012345678901234567890]", "VERBATIM txt:ab\r\n",
            "ERROR ERR", "BULK v @MAP [SIMPLE ttl, INTEGER 3]");
        for (int chunk = 1; chunk < 17; chunk++) {
            assertThat(decodeInChunks(wire, chunk)).as("chunk %d", chunk).isEqualTo(whole);
        }
    }

    @Test
    void verbatimPayloadDropsItsFormat() throws Exception {
        final RespReplyDecoder d = new RespReplyDecoder();
        final byte[] b = "=8\r\nmkd:a\nbc\r\n".getBytes(StandardCharsets.UTF_8);
        d.feed(b, 0, b.length);
        final RespValue v = d.next();
        assertThat(v.verbatimFormat()).isEqualTo("mkd");
        assertThat(v.string()).isEqualTo("a\nbc");
    }

    @Test
    void rawAccessBetweenReplies() throws Exception {
        final RespReplyDecoder d = new RespReplyDecoder();
        final byte[] b = "+FULLRESYNC abc 0\r\n$4\r\nRDB!+OK\r\n".getBytes(StandardCharsets.UTF_8);
        d.feed(b, 0, b.length);
        assertThat(d.next().string()).isEqualTo("FULLRESYNC abc 0");
        assertThat(new String(d.readLine(), StandardCharsets.UTF_8)).isEqualTo("$4");
        final byte[] rdb = new byte[4];
        assertThat(d.take(rdb, 0, 4)).isEqualTo(4);
        assertThat(new String(rdb, StandardCharsets.UTF_8)).isEqualTo("RDB!");
        assertThat(d.next().string()).isEqualTo("OK");
    }

    @Test
    void rejectsGarbage() {
        for (final String bad : new String[] {"?x\r\n", ":12a\r\n", "$-2\r\n", "$1\r\nab\r\n", "#x\r\n",
            ":99999999999999999999\r\n"}) {
            final RespReplyDecoder d = new RespReplyDecoder();
            final byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            d.feed(b, 0, b.length);
            assertThatThrownBy(d::next).as(bad).isInstanceOf(RespProtocolException.class);
        }
    }

    @Test
    void unknownTypeByteMessage() {
        final RespReplyDecoder d = new RespReplyDecoder();
        d.feed(new byte[] {'?', '\r', '\n'}, 0, 3);
        assertThatThrownBy(d::next).hasMessage("Protocol error, got \"?\" as reply type byte");
    }

    @Test
    void longRange() throws Exception {
        final RespReplyDecoder d = new RespReplyDecoder();
        final byte[] b = ":-9223372036854775808\r\n:9223372036854775807\r\n".getBytes(StandardCharsets.UTF_8);
        d.feed(b, 0, b.length);
        assertThat(d.next().integer()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.next().integer()).isEqualTo(Long.MAX_VALUE);
    }
}
