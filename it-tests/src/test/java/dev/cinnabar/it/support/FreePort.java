package dev.cinnabar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ephemeral loopback ports for test nodes. A port is handed out once per JVM, so two nodes started
 * back to back never race for the same one; the kernel picks it, so a redis-server running as a
 * service on 6379 (or anything else listening) is never chosen.
 */
public final class FreePort {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 50;

    private FreePort() {
    }

    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            final int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // redis-server also listens on port + 10000 in cluster mode; stay clear of the top of the range
            if (port < 55_000 && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port after " + ATTEMPTS + " attempts");
    }
}
