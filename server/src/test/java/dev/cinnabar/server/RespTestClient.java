package dev.cinnabar.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import dev.cinnabar.protocol.util.RawText;

/**
 * A raw RESP client for tests: sends commands, returns each reply as its exact wire text. Arguments and replies
 * are {@link RawText}: a byte that is not valid UTF-8 is written as {@code RawText.rawByteChar(b)}.
 */
public final class RespTestClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespTestClient(final int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(final String... args) throws IOException {
        final StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String a : args) {
            sb.append('$').append(RawText.encode(a).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(RawText.encode(sb.toString()));
        out.flush();
    }

    public String call(final String... args) throws IOException {
        send(args);
        return read();
    }

    /** One complete reply, as the bytes the server sent. */
    public String read() throws IOException {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        readValue(b);
        return RawText.decode(b.toByteArray());
    }

    /** One CRLF-terminated line, without the CRLF (a bulk's header, a PSYNC reply). */
    public String line() throws IOException {
        return readLine(new ByteArrayOutputStream());
    }

    /** The next {@code n} raw bytes (an RDB payload, which ends without CRLF). */
    public byte[] bytes(final int n) throws IOException {
        return in.readNBytes(n);
    }

    public void timeout(final int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    /** True when the server closed the connection (EOF before any byte). */
    public boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private void readValue(final ByteArrayOutputStream b) throws IOException {
        final String line = readLine(b);
        final char type = line.charAt(0);
        switch (type) {
            case '$', '=' -> {
                final int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    b.write(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                final int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readValue(b);
                }
            }
            case '%' -> {
                final int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readValue(b);
                }
            }
            default -> {
            }
        }
    }

    private String readLine(final ByteArrayOutputStream b) throws IOException {
        final StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            final int ch = in.read();
            if (ch < 0) {
                throw new IOException("connection closed");
            }
            b.write(ch);
            if (prev == '\r' && ch == '\n') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) ch);
            prev = ch;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
