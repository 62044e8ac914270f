package dev.cinnabar.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw RESP client for black-box tests: it writes requests as multibulk arrays (or any bytes at
 * all) and reads each reply back as the exact bytes the server sent, RESP2 or RESP3, so tests
 * compare servers byte for byte instead of through a client library's interpretation.
 */
public final class RespClient implements AutoCloseable {
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    public static RespClient connect(final int port) {
        return connect(port, DEFAULT_READ_TIMEOUT);
    }

    public static RespClient connect(final int port, final Duration readTimeout) {
        return connect(InetAddress.getLoopbackAddress().getHostAddress(), port, readTimeout);
    }

    /** To another loopback address (127.0.0.x standing in for another host). */
    public static RespClient connect(final String host, final int port) {
        return connect(host, port, DEFAULT_READ_TIMEOUT);
    }

    private static RespClient connect(final String host, final int port, final Duration readTimeout) {
        final Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout((int) readTimeout.toMillis());
            s.setTcpNoDelay(true);
            return new RespClient(s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /**
     * Authenticates as the default user with {@code password}, or does nothing when it is null;
     * returns this client, or closes it and throws when the server does not answer +OK.
     */
    public RespClient auth(final String password) {
        if (password == null) {
            return this;
        }
        final String reply;
        try {
            reply = text("AUTH", password);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (!reply.equals("+OK\r\n")) {
            close();
            throw new IllegalStateException("AUTH refused: " + reply.strip());
        }
        return this;
    }

    /** Sends one command and returns the raw bytes of its reply. */
    public byte[] call(final String... args) {
        return call(argv(args));
    }

    public byte[] call(final List<byte[]> argv) {
        write(encode(argv));
        return readReply();
    }

    /** The reply as text (ISO-8859-1, so every byte maps to one char and binary survives). */
    public String text(final String... args) {
        return new String(call(args), StandardCharsets.ISO_8859_1);
    }

    public void write(final byte[] raw) {
        try {
            out.write(raw);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly one complete reply (attributes included) and returns its bytes. */
    public byte[] readReply() {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            readInto(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /**
     * The next reply if one starts arriving within {@code wait}, else null (nothing consumed). Once
     * its first byte is in, the rest is read with the regular timeout.
     */
    public byte[] pollReply(final Duration wait) {
        try {
            final int previous = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            in.mark(1);
            try {
                if (in.read() < 0) {
                    throw new EOFException("connection closed by the server");
                }
            } catch (java.net.SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(previous);
            }
            in.reset();
            return readReply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server has closed the connection (EOF or reset) within the timeout. */
    public boolean closedByPeer(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            socket.setSoTimeout(100);
            while (System.nanoTime() - deadline < 0) {
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet: keep waiting until the deadline
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public void readTimeout(final Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readInto(final ByteArrayOutputStream buf) throws IOException {
        final int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        buf.write(type);
        final byte[] line = readLine();
        buf.write(line);
        buf.write('\r');
        buf.write('\n');
        switch (type) {
            case '+', '-', ':', '_', '#', ',', '(' -> {
            }
            case '$', '!', '=' -> {
                final long len = Long.parseLong(ascii(line));
                if (len >= 0) {
                    buf.write(in.readNBytes((int) len + 2));
                }
            }
            case '*', '~', '>' -> readElements(buf, Long.parseLong(ascii(line)));
            case '%' -> readElements(buf, 2 * Long.parseLong(ascii(line)));
            case '|' -> {
                readElements(buf, 2 * Long.parseLong(ascii(line)));
                readInto(buf);
            }
            default -> throw new IOException("not a RESP reply: type byte " + type + " " + printable(buf.toByteArray()));
        }
    }

    private void readElements(final ByteArrayOutputStream buf, final long n) throws IOException {
        for (long i = 0; i < n; i++) {
            readInto(buf);
        }
    }

    private byte[] readLine() throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        while (true) {
            final int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a reply");
            }
            if (b == '\r') {
                final int lf = in.read();
                if (lf != '\n') {
                    throw new IOException("CR not followed by LF in a reply line");
                }
                return line.toByteArray();
            }
            line.write(b);
        }
    }

    private static String ascii(final byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    public static List<byte[]> argv(final String... args) {
        final List<byte[]> argv = new ArrayList<>(args.length);
        for (final String a : args) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return argv;
    }

    /** The multibulk encoding of a command. */
    public static byte[] encode(final List<byte[]> argv) {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    /** Bytes for a failure message: printable ASCII as is, CR/LF as \r\n, the rest as \xNN. */
    public static String printable(final byte[] b) {
        final StringBuilder sb = new StringBuilder(b.length + 16);
        for (final byte x : b) {
            final int c = x & 0xff;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    public static String printable(final List<byte[]> argv) {
        final StringBuilder sb = new StringBuilder();
        for (final byte[] a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('"').append(printable(a)).append('"');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(final Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing useful to do
        }
    }
}
