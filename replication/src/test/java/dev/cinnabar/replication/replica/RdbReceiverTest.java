package dev.cinnabar.replication.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RdbReceiverTest {
    private static final String MARK = "0123456789012345678901234567890123456789";

    @TempDir
    Path dir;

    private static ByteBuf buf(final String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldTakeExactlyTheAnnouncedLength() throws IOException {
        final Path f = dir.resolve("a.rdb");
        try (RdbReceiver r = RdbReceiver.ofLength(f, 6)) {
            final ByteBuf in = buf("RDB");
            assertThat(r.receive(in)).isFalse();
            in.release();
            final ByteBuf more = buf("xyzSTREAM");
            assertThat(r.receive(more)).isTrue();
            assertThat(more.toString(StandardCharsets.ISO_8859_1)).isEqualTo("STREAM");
            more.release();
        }
        assertThat(Files.readString(f)).isEqualTo("RDBxyz");
    }

    @Test
    void shouldFindTheMarkSplitAcrossReadsAndCutIt() throws IOException {
        final Path f = dir.resolve("b.rdb");
        final String payload = "REDIS0010" + "p".repeat(100) + MARK;
        try (RdbReceiver r = RdbReceiver.ofMark(f, MARK.getBytes(StandardCharsets.US_ASCII))) {
            boolean done = false;
            for (int i = 0; i < payload.length(); i += 7) {
                assertThat(done).isFalse();
                final ByteBuf in = buf(payload.substring(i, Math.min(payload.length(), i + 7)));
                done = r.receive(in);
                in.release();
            }
            assertThat(done).isTrue();
            assertThat(r.read()).isEqualTo(payload.length());
        }
        assertThat(Files.readString(f)).isEqualTo("REDIS0010" + "p".repeat(100));
    }

    /** A sink that records what reaches it and when it finished. */
    private static final class Recording implements RdbReceiver.Sink {
        final StringBuilder got = new StringBuilder();
        boolean finished;
        boolean aborted;

        @Override
        public void write(final java.nio.ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                got.append((char) (bytes.get() & 0xff));
            }
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    @Test
    void shouldNeverPassTheMarkToASinkWhateverTheChunking() throws IOException {
        final String rdb = "REDIS0010" + "q".repeat(97) + MARK.substring(0, 39) + "!";
        for (int step = 1; step <= 90; step += 7) {
            final Recording sink = new Recording();
            final RdbReceiver r = RdbReceiver.ofMark(sink, MARK.getBytes(StandardCharsets.US_ASCII));
            final String payload = rdb + MARK;
            for (int i = 0; i < payload.length(); i += step) {
                assertThat(sink.finished).isFalse();
                assertThat(sink.got.length()).as("the last 40 bytes are held back").isEqualTo(Math.max(0, i - 40));
                final ByteBuf in = buf(payload.substring(i, Math.min(payload.length(), i + step)));
                r.receive(in);
                in.release();
            }
            assertThat(sink.finished).isTrue();
            assertThat(sink.got.toString()).as("chunks of " + step).isEqualTo(rdb);
            r.close();
            assertThat(sink.aborted).as("a complete transfer is not aborted").isFalse();
        }
    }

    @Test
    void shouldAbortASinkLeftIncomplete() throws IOException {
        final Recording sink = new Recording();
        try (RdbReceiver r = RdbReceiver.ofLength(sink, 10)) {
            final ByteBuf in = buf("12345");
            assertThat(r.receive(in)).isFalse();
            in.release();
        }
        assertThat(sink.got.toString()).isEqualTo("12345");
        assertThat(sink.aborted).isTrue();
        assertThat(sink.finished).isFalse();
    }

    @Test
    void shouldDeleteAnAbandonedFile() throws IOException {
        final Path f = dir.resolve("c.rdb");
        try (RdbReceiver r = RdbReceiver.ofLength(f, 100)) {
            final ByteBuf in = buf("partial");
            r.receive(in);
            in.release();
        }
        assertThat(Files.exists(f)).isFalse();
    }
}
