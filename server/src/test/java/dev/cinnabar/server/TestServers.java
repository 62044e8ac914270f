package dev.cinnabar.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts an in-JVM server on a free loopback port; shutdown only stops it. */
public final class TestServers {
    private TestServers() {
    }

    public static Server start(final String... options) throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final List<String> argv = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", ""));
        argv.addAll(Arrays.asList(options));
        final Server server = Main.fromArgs(argv.toArray(new String[0]));
        server.start();
        return server;
    }

    /** Waits for a condition with a deadline; no fixed sleeps. */
    public static void await(final java.util.function.BooleanSupplier condition, final long timeoutMs)
        throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(5);
        }
    }

    public static void stop(final Server server) throws IOException {
        if (server != null) {
            server.stop();
        }
    }
}
