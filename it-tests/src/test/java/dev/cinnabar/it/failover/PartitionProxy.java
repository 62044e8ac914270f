package dev.cinnabar.it.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay standing for the network between a master and everyone who knows it by
 * {@code listenIp:port} (its replicas and the sentinels), while clients reach the master itself on
 * 127.0.0.1. {@link #partition()} turns it into a black hole: bytes are read and dropped in both
 * directions, a closed side is not told to the other, new connections are accepted and left silent
 * (as packets lost, not refused). {@link #heal()} closes every connection made before (their TCP
 * sessions would have timed out) and relays new ones again. Every socket and thread ends at close().
 */
final class PartitionProxy implements AutoCloseable {
    private static final long JOIN_MS = 5_000;

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean partitioned;
    private volatile boolean closed;

    PartitionProxy(final String listenIp, final int port, final int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(listenIp), port), 64);
        start("partition-proxy-accept", this::acceptLoop);
    }

    void partition() {
        partitioned = true;
    }

    void heal() {
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
        while (!closed) {
            try {
                final Socket client = server.accept();
                sockets.add(client);
                if (partitioned) {
                    continue; // silent until heal() closes it
                }
                final Socket master = new Socket();
                sockets.add(master);
                master.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                master.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                start("partition-proxy-up", () -> relay(client, master));
                start("partition-proxy-down", () -> relay(master, client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Copies {@code from} to {@code to}, dropping what comes while partitioned; closes both when {@code from} ends outside a partition. */
    private void relay(final Socket from, final Socket to) {
        final byte[] buf = new byte[16 * 1024];
        try {
            final InputStream in = from.getInputStream();
            final OutputStream out = to.getOutputStream();
            while (true) {
                final int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (!partitioned) {
                    out.write(buf, 0, n);
                    out.flush();
                }
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
    public void close() throws InterruptedException {
        closed = true;
        closeQuietly(server);
        heal();
        final long deadline = System.nanoTime() + JOIN_MS * 1_000_000;
        for (final Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }
}
