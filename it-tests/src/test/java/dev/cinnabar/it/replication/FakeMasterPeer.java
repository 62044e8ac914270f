package dev.cinnabar.it.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer on loopback that pretends to be a master and lies: connection i answers the replica's
 * PING with {@code script.get(i).ping()}, and, if that looked like +PONG, its REPLCONFs with +OK
 * and its PSYNC with {@code script.get(i).psync()} (raw bytes, garbage included). Then it reads
 * until the replica hangs up. It serves one connection per script entry and records what each
 * received; every wait has a deadline, and close() ends its thread.
 */
final class FakeMasterPeer implements AutoCloseable {
    /** What one connection answers. */
    record Answer(String ping, byte[] psync) {
        static Answer toPing(final String reply) {
            return new Answer(reply, new byte[0]);
        }

        static Answer toPsync(final byte[] reply) {
            return new Answer("+PONG\r\n", reply);
        }
    }

    private static final long WAIT_MS = 15_000;

    private final List<Answer> script;
    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile Socket current;

    FakeMasterPeer(final List<Answer> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "fake-master");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** What each finished connection received, in order. */
    List<String> received() {
        return received;
    }

    private void serve() {
        for (final Answer a : script) {
            try (Socket s = server.accept()) {
                current = s;
                s.setSoTimeout(100);
                final ByteArrayOutputStream in = new ByteArrayOutputStream();
                final OutputStream out = s.getOutputStream();
                if (awaitText(s.getInputStream(), in, "PING")) {
                    out.write(a.ping().getBytes(StandardCharsets.ISO_8859_1));
                    if (a.ping().startsWith("+") && awaitText(s.getInputStream(), in, "psync2")) {
                        out.write("+OK\r\n+OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        if (awaitText(s.getInputStream(), in, "PSYNC")) {
                            out.write(a.psync());
                        }
                    }
                    out.flush();
                }
                awaitText(s.getInputStream(), in, null);
                received.add(in.toString(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Reads into {@code in} until it holds {@code text} (true), or until the peer closes or the
     * deadline passes (false); with {@code text} null, reads until the peer closes.
     */
    private static boolean awaitText(final InputStream s, final ByteArrayOutputStream in, final String text)
        throws IOException {
        final long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        final byte[] buf = new byte[4096];
        while (System.nanoTime() - deadline < 0) {
            if (text != null && in.toString(StandardCharsets.ISO_8859_1).contains(text)) {
                return true;
            }
            try {
                final int n = s.read(buf);
                if (n < 0) {
                    return false;
                }
                in.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                // nothing yet: the deadline decides
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        final Socket s = current;
        if (s != null) {
            s.close();
        }
        try {
            thread.join(WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
