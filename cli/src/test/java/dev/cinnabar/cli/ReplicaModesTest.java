package dev.cinnabar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * --replica against a scripted master on loopback: the master's side of a diskless full sync, played with the timing
 * that real Redis can show.
 */
class ReplicaModesTest {
    private static final String MARK = "0123456789abcdef0123456789abcdef01234567";
    private final ExecutorService master = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        master.shutdownNow();
    }

    /**
     * The master ignores the first ACK, as Redis does when it arrives before it reaped the snapshot child, and starts
     * the stream on the next one: the CLI must ask again rather than wait forever.
     */
    @Test
    void shouldRepeatTheAckUntilTheMasterStartsTheStream() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            final Future<List<String>> seen = master.submit(() -> playMaster(listener));
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.setSoTimeout(10_000);
                exit = ReplicaModes.replica(RespConnection.over(s), print(out), print(err));
            }

            assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly(
                "REPLCONF capa eof", "REPLCONF rdb-filter-only ", "SYNC", "REPLCONF ACK 0", "REPLCONF ACK 0");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\"set\",\"k\",\"v\"\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                sending REPLCONF capa eof
                sending REPLCONF rdb-filter-only\s
                SYNC with master, discarding bytes of bulk transfer until EOF marker...
                SYNC done after 9 bytes. Logging commands from master.
                sending REPLCONF ACK 0
                Error: Server closed the connection
                """);
            assertThat(exit).isEqualTo(1);
        }
    }

    /** Answers the handshake, streams a 9-byte "snapshot", ignores one ACK, sends a command after the next and hangs up. */
    private static List<String> playMaster(final ServerSocket listener) throws IOException {
        final List<String> seen = new ArrayList<>();
        try (Socket s = listener.accept()) {
            s.setSoTimeout(10_000);
            final RespConnection replica = RespConnection.over(s);
            final OutputStream toReplica = s.getOutputStream();
            for (int i = 0; i < 2; i++) {
                seen.add(command(replica.read()));
                toReplica.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            seen.add(command(replica.read()));
            toReplica.write(("$EOF:" + MARK + "\r\nREDIS0010" + MARK).getBytes(StandardCharsets.US_ASCII));
            toReplica.flush();
            seen.add(command(replica.read()));
            seen.add(command(replica.read()));
            toReplica.write("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII));
            toReplica.flush();
        }
        return seen;
    }

    private static String command(final RespValue v) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            b.append(i == 0 ? "" : " ").append(v.get(i).string());
        }
        return b.toString();
    }

    private static PrintStream print(final ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
