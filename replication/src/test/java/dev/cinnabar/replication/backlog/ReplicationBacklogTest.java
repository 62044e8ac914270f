package dev.cinnabar.replication.backlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ReplicationBacklogTest {
    private static ByteBuf bytes(final String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String from(final ReplicationBacklog b, final long offset) {
        final ByteBuf out = Unpooled.buffer();
        b.copyFrom(offset, out);
        final String s = out.toString(StandardCharsets.US_ASCII);
        out.release();
        return s;
    }

    @Test
    void shouldStartEmptyAtTheNextOffset() {
        final ReplicationBacklog b = new ReplicationBacklog(100, 51);
        assertThat(b.offset()).isEqualTo(51);
        assertThat(b.histlen()).isZero();
        assertThat(b.canServe(51)).isTrue();
        assertThat(b.canServe(50)).isFalse();
        assertThat(b.canServe(52)).isFalse();
        assertThat(from(b, 51)).isEmpty();
    }

    @Test
    void shouldServeEveryOffsetItHoldsPlusTheNextOne() {
        final ReplicationBacklog b = new ReplicationBacklog(100, 1);
        b.append(bytes("abcdef"));
        assertThat(b.histlen()).isEqualTo(6);
        assertThat(from(b, 1)).isEqualTo("abcdef");
        assertThat(from(b, 4)).isEqualTo("def");
        assertThat(from(b, 7)).isEmpty();
        assertThat(b.canServe(8)).isFalse();
    }

    @Test
    void shouldDropTheOldestBytesWhenFull() {
        final ReplicationBacklog b = new ReplicationBacklog(8, 1);
        b.append(bytes("0123456"));
        b.append(bytes("789ab"));
        assertThat(b.histlen()).isEqualTo(8);
        assertThat(b.offset()).isEqualTo(5);
        assertThat(from(b, 5)).isEqualTo("456789ab");
        assertThat(b.canServe(4)).isFalse();
    }

    @Test
    void shouldKeepOnlyTheTailOfAChunkLargerThanItself() {
        final ReplicationBacklog b = new ReplicationBacklog(4, 1);
        b.append(bytes("xy"));
        b.append(bytes("0123456789"));
        assertThat(b.offset()).isEqualTo(9);
        assertThat(b.histlen()).isEqualTo(4);
        assertThat(from(b, 9)).isEqualTo("6789");
    }

    @Test
    void shouldWrapAroundManyTimesWithoutLosingOrder() {
        final ReplicationBacklog b = new ReplicationBacklog(7, 1);
        final StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            final String chunk = Integer.toString(i % 10).repeat(i % 4 + 1);
            all.append(chunk);
            b.append(bytes(chunk));
            assertThat(b.offset() + b.histlen() - 1).isEqualTo(all.length());
            final long start = b.offset();
            assertThat(from(b, start)).isEqualTo(all.substring((int) start - 1));
        }
    }

    @Test
    void shouldGrowItsArrayOnlyAsDataArrives() {
        final ReplicationBacklog b = new ReplicationBacklog(1024 * 1024, 1);
        assertThat(b.allocated()).isLessThan(1024 * 1024);
        final ByteBuf big = Unpooled.wrappedBuffer(new byte[100_000]);
        b.append(big);
        assertThat(b.allocated()).isGreaterThanOrEqualTo(100_000).isLessThanOrEqualTo(1024 * 1024);
        assertThat(b.histlen()).isEqualTo(100_000);
        assertThat(big.readableBytes()).isEqualTo(100_000);
    }

    @Test
    void shouldKeepTheNewestBytesWhenShrunk() {
        final ReplicationBacklog b = new ReplicationBacklog(10, 1);
        b.append(bytes("0123456789"));
        b.append(bytes("ab"));
        b.resize(4);
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.offset()).isEqualTo(9);
        assertThat(from(b, 9)).isEqualTo("89ab");
        b.append(bytes("c"));
        assertThat(from(b, 10)).isEqualTo("9abc");
        b.resize(100);
        b.append(bytes("defgh"));
        assertThat(from(b, 10)).isEqualTo("9abcdefgh");
    }

    @Test
    void shouldRefuseAnOffsetOutsideItself() {
        final ReplicationBacklog b = new ReplicationBacklog(10, 1);
        b.append(bytes("abc"));
        assertThatThrownBy(() -> from(b, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
