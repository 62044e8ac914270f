package dev.cinnabar.replication.replica;

import static dev.cinnabar.replication.replica.FakeMaster.resp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MasterStreamTest {
    private final List<String> applied = new ArrayList<>();
    private final StringBuilder forwarded = new StringBuilder();
    private boolean inMulti;
    private boolean paused;
    private final MasterStream stream = new MasterStream(100, this::apply,
        b -> forwarded.append(b.toString(StandardCharsets.ISO_8859_1)));

    private MasterStream.Applied apply(final Args a) {
        if (paused) {
            return MasterStream.Applied.DEFERRED;
        }
        final String cmd = a.string(0).toUpperCase();
        applied.add(cmd);
        if (cmd.equals("MULTI")) {
            inMulti = true;
        } else if (cmd.equals("EXEC")) {
            inMulti = false;
        }
        return inMulti ? MasterStream.Applied.IN_TRANSACTION : MasterStream.Applied.DONE;
    }

    private void feed(final String s) throws ProtocolException {
        final ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        try {
            stream.feed(b);
        } finally {
            b.release();
        }
    }

    @AfterEach
    void close() {
        stream.close();
    }

    @Test
    void shouldCountAndForwardEachAppliedCommand() throws ProtocolException {
        final String set = resp("SET", "k", "v");
        feed(set + set.substring(0, 5));
        assertThat(applied).containsExactly("SET");
        assertThat(stream.appliedOffset()).isEqualTo(100 + set.length());
        assertThat(stream.readOffset()).isEqualTo(100 + set.length() + 5);
        assertThat(forwarded.toString()).isEqualTo(set);
        feed(set.substring(5));
        assertThat(stream.appliedOffset()).isEqualTo(100 + 2L * set.length());
        assertThat(forwarded.toString()).isEqualTo(set + set);
    }

    @Test
    void shouldMoveTheOffsetOnlyAtTheEndOfATransaction() throws ProtocolException {
        final String block = resp("MULTI") + resp("INCR", "a") + resp("INCR", "b");
        feed(block);
        assertThat(applied).containsExactly("MULTI", "INCR", "INCR");
        assertThat(stream.appliedOffset()).isEqualTo(100);
        assertThat(forwarded.toString()).isEmpty();
        feed(resp("EXEC"));
        assertThat(stream.appliedOffset()).isEqualTo(100 + block.length() + resp("EXEC").length());
        assertThat(forwarded.toString()).isEqualTo(block + resp("EXEC"));
    }

    @Test
    void shouldRetryADeferredCommandFirst() throws ProtocolException {
        paused = true;
        feed(resp("SET", "a", "1") + resp("SET", "b", "2"));
        assertThat(applied).isEmpty();
        assertThat(stream.hasDeferred()).isTrue();
        paused = false;
        stream.process();
        assertThat(applied).containsExactly("SET", "SET");
        assertThat(stream.hasDeferred()).isFalse();
        assertThat(stream.appliedOffset()).isEqualTo(100 + resp("SET", "a", "1").length() * 2L);
    }

    @Test
    void shouldCountKeepaliveNewlinesInTheOffset() throws ProtocolException {
        feed("\n" + resp("PING"));
        assertThat(applied).containsExactly("PING");
        assertThat(stream.appliedOffset()).isEqualTo(100 + 1 + resp("PING").length());
    }

    @Test
    void shouldRejectGarbage() {
        assertThatThrownBy(() -> feed("*1\r\n$abc\r\n")).isInstanceOf(ProtocolException.class);
    }
}
