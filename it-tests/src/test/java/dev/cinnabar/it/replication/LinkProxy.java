package dev.cinnabar.it.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback between a replica and its master that cuts its first connection once
 * {@code cutAfterBytes} bytes went from the master to the replica: a link lost at an exact point
 * of an RDB transfer, which no timing of CLIENT KILL can promise. Later connections are relayed
 * whole. At most {@link #MAX_CONNECTIONS} are accepted; every socket and thread ends at close().
 */
final class LinkProxy implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 16;
    private static final long JOIN_MS = 5_000;

    private final int targetPort;
    private final long cutAfterBytes;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile boolean closed;

    LinkProxy(final int targetPort, final long cutAfterBytes) throws IOException {
        this.targetPort = targetPort;
        this.cutAfterBytes = cutAfterBytes;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        start("proxy-accept", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Whether the first connection was cut as planned. */
    boolean cut() {
        return cut.get();
    }

    private void start(final String name, final Runnable r) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!closed && connections.get() < MAX_CONNECTIONS) {
            try {
                final Socket replica = server.accept();
                final Socket master = new Socket();
                sockets.add(replica);
                sockets.add(master);
                master.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                final boolean first = connections.incrementAndGet() == 1;
                start("proxy-up", () -> relay(replica, master, Long.MAX_VALUE));
                start("proxy-down", () -> relay(master, replica, first ? cutAfterBytes : Long.MAX_VALUE));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies {@code from} to {@code to} until either ends or {@code limit} bytes passed; then closes both. */
    private void relay(final Socket from, final Socket to, final long limit) {
        final byte[] buf = new byte[16 * 1024];
        long passed = 0;
        try {
            final InputStream in = from.getInputStream();
            final OutputStream out = to.getOutputStream();
            while (passed < limit) {
                final int n = in.read(buf, 0, (int) Math.min(buf.length, limit - passed));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                passed += n;
            }
            if (passed >= limit) {
                cut.set(true);
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(final AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(LinkProxy::closeQuietly);
        for (final Thread t : threads) {
            try {
                t.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
