package dev.cinnabar.it.support;

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
 * A TCP relay on loopback standing for the network between a server and those who reach it through
 * the relay's address; the faults no timing of CLIENT KILL or signals can promise:
 * <ul>
 *   <li>{@link #cutFirstAfter}: the first connection is cut once that many bytes went from the
 *       server to the peer (a replica link lost at an exact point of an RDB transfer); later
 *       connections are relayed whole.</li>
 *   <li>{@link #partition()}: a black hole. Bytes are read and dropped both ways, a closed side is
 *       not told to the other, new connections are accepted and left silent (packets lost, not
 *       refused). {@link #heal()} closes every connection made before (their TCP sessions would
 *       have timed out) and relays new ones again.</li>
 * </ul>
 * At most {@code maxConnections} are accepted; every socket and thread ends at close().
 */
public final class TcpRelay implements AutoCloseable {
    private static final long JOIN_MS = 5_000;

    private final int targetPort;
    private final int maxConnections;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile long cutFirstAfterBytes = Long.MAX_VALUE;
    private volatile boolean partitioned;
    private volatile boolean closed;

    private TcpRelay(final InetSocketAddress listen, final int targetPort, final int maxConnections) throws IOException {
        this.targetPort = targetPort;
        this.maxConnections = maxConnections;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 64);
        start("tcp-relay-accept", this::acceptLoop);
    }

    /** A relay on {@code listenIp:port} to 127.0.0.1:{@code targetPort}, for partitions. */
    public static TcpRelay on(final String listenIp, final int port, final int targetPort) throws IOException {
        return new TcpRelay(new InetSocketAddress(InetAddress.getByName(listenIp), port), targetPort, Integer.MAX_VALUE);
    }

    /** A relay on a free loopback port to {@code targetPort} that cuts its first connection (see class). */
    public static TcpRelay cutFirstAfter(final int targetPort, final long bytes) throws IOException {
        final TcpRelay r = new TcpRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), targetPort, 16);
        r.cutFirstAfterBytes = bytes;
        return r;
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Whether the first connection was cut as planned. */
    public boolean cut() {
        return cut.get();
    }

    public void partition() {
        partitioned = true;
    }

    public void heal() {
        for (final Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
        partitioned = false;
    }

    private void start(final String name, final Runnable r) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.removeIf(x -> !x.isAlive());
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!closed && connections.get() < maxConnections) {
            try {
                final Socket peer = server.accept();
                sockets.add(peer);
                if (partitioned) {
                    continue; // silent until heal() closes it
                }
                final Socket target = new Socket();
                sockets.add(target);
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                target.setTcpNoDelay(true);
                peer.setTcpNoDelay(true);
                final long downLimit = connections.incrementAndGet() == 1 ? cutFirstAfterBytes : Long.MAX_VALUE;
                start("tcp-relay-up", () -> relay(peer, target, Long.MAX_VALUE));
                start("tcp-relay-down", () -> relay(target, peer, downLimit));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends or {@code limit} bytes passed, dropping
     * what comes while partitioned; then closes both, unless partitioned (the black hole tells nobody).
     */
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
                if (!partitioned) {
                    out.write(buf, 0, n);
                    out.flush();
                    passed += n;
                }
            }
            if (passed >= limit) {
                cut.set(true);
            }
        } catch (IOException e) {
            // a side closed, or heal() closed both
        }
        if (!partitioned) {
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
        heal();
        final long deadline = System.nanoTime() + JOIN_MS * 1_000_000;
        try {
            for (final Thread t : threads) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
