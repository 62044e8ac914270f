package dev.cinnabar.protocol.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A blocking connection to a RESP server: commands go out as RESP arrays of bulk strings, replies come back through
 * a {@link RespReplyDecoder}. One reader thread and one writer thread may use it at the same time (mass insertion
 * writes while it reads); neither side is otherwise synchronized.
 */
public final class RespConnection implements Closeable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final InputStream in;
    private final OutputStream out;
    private final Closeable resource;
    private final RespReplyDecoder decoder = new RespReplyDecoder(64 * 1024);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public RespConnection(final InputStream in, final OutputStream out, final Closeable resource) {
        this.in = in;
        this.out = out;
        this.resource = resource;
    }

    public static RespConnection over(final Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new RespConnection(socket.getInputStream(), socket.getOutputStream(), socket);
    }

    public static RespConnection tcp(final String host, final int port, final int connectTimeoutMs) throws IOException {
        final Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return over(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A Unix domain socket; reads and writes go to the channel directly so both directions can run at once. */
    public static RespConnection unix(final Path path) throws IOException {
        final SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                final byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
        final OutputStream out = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                final ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
        };
        return new RespConnection(in, out, ch);
    }

    /** Appends one command in RESP form to {@code dst}. */
    public static void encode(final List<byte[]> args, final ByteArrayOutputStream dst) {
        writeHeader(dst, '*', args.size());
        for (final byte[] a : args) {
            writeHeader(dst, '$', a.length);
            dst.write(a, 0, a.length);
            dst.write(CRLF, 0, 2);
        }
    }

    private static void writeHeader(final ByteArrayOutputStream dst, final char kind, final int n) {
        dst.write(kind);
        final byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        dst.write(digits, 0, digits.length);
        dst.write(CRLF, 0, 2);
    }

    /** Queues a command; it leaves with the next {@link #flush}. */
    public void append(final List<byte[]> args) {
        encode(args, pending);
    }

    public void send(final List<byte[]> args) throws IOException {
        append(args);
        flush();
    }

    public void send(final String... args) throws IOException {
        send(strings(args));
    }

    public RespValue call(final List<byte[]> args) throws IOException {
        send(args);
        return read();
    }

    public RespValue call(final String... args) throws IOException {
        return call(strings(args));
    }

    private static List<byte[]> strings(final String... args) {
        final byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return List.of(b);
    }

    public void flush() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
        }
        out.flush();
    }

    /** Raw bytes to the server, unframed (mass insertion streams protocol text as given). */
    public void writeRaw(final byte[] b, final int off, final int len) throws IOException {
        out.write(b, off, len);
    }

    /** The next reply; EOFException when the server closed the connection. */
    public RespValue read() throws IOException {
        while (true) {
            final RespValue v = decoder.next();
            if (v != null) {
                return v;
            }
            fill();
        }
    }

    /** A reply if one is already buffered, without blocking. */
    public RespValue poll() throws IOException {
        return decoder.next();
    }

    /** One raw line (no RESP framing), e.g. a replication handshake reply or the {@code $<len>} before an RDB. */
    public byte[] readLine() throws IOException {
        while (true) {
            final byte[] line = decoder.readLine();
            if (line != null) {
                return line;
            }
            fill();
        }
    }

    /** Up to {@code len} raw bytes, blocking until at least one is available. */
    public int readRaw(final byte[] dst, final int off, final int len) throws IOException {
        if (decoder.buffered() == 0) {
            fill();
        }
        return decoder.take(dst, off, len);
    }

    private void fill() throws IOException {
        final byte[] b = decoder.writable(16 * 1024);
        final int off = decoder.writeOffset();
        final int n = in.read(b, off, b.length - off);
        if (n < 0) {
            throw new EOFException("Server closed the connection");
        }
        decoder.commit(n);
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
