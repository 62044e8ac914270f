package dev.cinnabar.it.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client sending random and mutated RESP to a live server gets replies, errors or a closed
 * connection, never a hang or a crash, while another client keeps being served throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class ProtocolGarbageIT {
    private static final int ROUNDS = 300;
    private static final Duration QUIET = Duration.ofMillis(60);
    private static final List<byte[]> SEEDS = List.of(
        bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"),
        bytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
        bytes("*1\r\n$4\r\nPING\r\n"),
        bytes("PING\r\n"),
        bytes("SET k \"a b\\x00\" 'c'\r\n"),
        bytes("*-1\r\n*0\r\n"),
        bytes("*2\r\n$4\r\nECHO\r\n$-1\r\n"),
        bytes("*1\r\n$2147483648\r\n"),
        bytes("*99999999999999\r\n"),
        bytes("*1\r\n$10\r\nPING\r\n"),
        bytes("\r\n\r\n\n"),
        bytes("*2\r\n$3\r\nGET\r\nk\r\n"),
        bytes("$3\r\nGET\r\n"),
        bytes("SET k \"unterminated\r\n"));

    private static NodeProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void garbageNeverStopsTheServerServingOthers() {
        final long seed = Long.getLong("garbage.seed", System.nanoTime());
        System.out.println("ProtocolGarbageIT seed=" + seed + " (rerun with -Dgarbage.seed=" + seed + ")");
        final Random rnd = new Random(seed);
        try (RespClient healthy = server.client()) {
            for (int round = 0; round < ROUNDS; round++) {
                final byte[] garbage = mutate(rnd, SEEDS.get(rnd.nextInt(SEEDS.size())));
                try (RespClient bad = RespClient.connect(server.port(), QUIET)) {
                    bad.write(garbage);
                    // whatever the server answers (or nothing, waiting for more input), it must not crash
                    bad.closedByPeer(QUIET);
                } catch (UncheckedIOException e) {
                    // the server closed the connection on a protocol error while we were writing
                }
                assertThat(server.alive()).as("server alive after round %d, input %s", round,
                    RespClient.printable(garbage)).isTrue();
                assertThat(healthy.text("PING", "round-" + round)).as("round %d, input %s", round,
                    RespClient.printable(garbage)).isEqualTo("$" + ("round-" + round).length() + "\r\nround-" + round
                    + "\r\n");
            }
        }
    }

    @Test
    void protocolErrorsAreRedisErrorsThenClose() {
        try (RespClient c = server.client()) {
            c.write(bytes("*1\r\n$x\r\n"));
            assertThat(new String(c.readReply(), StandardCharsets.ISO_8859_1))
                .isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).isTrue();
        }
        try (RespClient c = server.client()) {
            c.write(bytes("*abc\r\n"));
            assertThat(new String(c.readReply(), StandardCharsets.ISO_8859_1))
                .isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).isTrue();
        }
        try (RespClient c = server.client()) {
            c.write(bytes("SET k \"abc\r\n"));
            assertThat(new String(c.readReply(), StandardCharsets.ISO_8859_1))
                .isEqualTo("-ERR Protocol error: unbalanced quotes in request\r\n");
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** A seed with a few random edits: flipped, inserted, deleted or duplicated bytes, or a truncation. */
    private static byte[] mutate(final Random rnd, final byte[] seed) {
        byte[] b = seed.clone();
        final int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            final int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> b[at] = "*$\r\n-:0123456789\"'\\ ".getBytes(StandardCharsets.US_ASCII)[rnd.nextInt(20)];
                case 2 -> b = splice(b, at, new byte[] {(byte) rnd.nextInt(256)});
                case 3 -> b = splice(b, at, new byte[0], 1);
                case 4 -> b = splice(b, at, java.util.Arrays.copyOfRange(b, 0, at));
                default -> b = java.util.Arrays.copyOf(b, at);
            }
        }
        if (rnd.nextInt(10) == 0) {
            final byte[] noise = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(noise);
            return noise;
        }
        return b;
    }

    private static byte[] splice(final byte[] b, final int at, final byte[] insert) {
        return splice(b, at, insert, 0);
    }

    private static byte[] splice(final byte[] b, final int at, final byte[] insert, final int remove) {
        final int cut = Math.min(remove, b.length - at);
        final byte[] r = new byte[b.length - cut + insert.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(insert, 0, r, at, insert.length);
        System.arraycopy(b, at + cut, r, at + insert.length, b.length - at - cut);
        return r;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
