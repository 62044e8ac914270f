package dev.cinnabar.replication.replica;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Connections a link opens, recorded; the test plays the master's side of each by hand. */
public final class FakeMaster implements MasterConnection.Connector {
    /** One connection: what the replica wrote, whether it was closed, and the events to drive. */
    public static final class Conn implements MasterConnection {
        final String host;
        public final int port;
        public final Events events;
        final StringBuilder written = new StringBuilder();
        public boolean closed;
        public boolean readPaused;

        Conn(final String host, final int port, final Events events) {
            this.host = host;
            this.port = port;
            this.events = events;
        }

        @Override
        public void write(final ByteBuf data) {
            written.append(data.toString(StandardCharsets.ISO_8859_1));
            data.release();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void pauseReading(final boolean paused) {
            readPaused = paused;
        }

        /** The master sends {@code s} (ISO-8859-1 bytes). */
        public void send(final String s) {
            send(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(final byte[] b) {
            events.onBytes(Unpooled.copiedBuffer(b));
        }

        /** What the replica wrote since the last call. */
        public String take() {
            final String s = written.toString();
            written.setLength(0);
            return s;
        }
    }

    public final List<Conn> conns = new ArrayList<>();

    @Override
    public MasterConnection connect(final String host, final int port, final MasterConnection.Events events) {
        final Conn c = new Conn(host, port, events);
        conns.add(c);
        return c;
    }

    public Conn last() {
        return conns.get(conns.size() - 1);
    }

    /** RESP form of a command, as the replica writes it. */
    public static String resp(final String... argv) {
        final StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (final String a : argv) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }
}
