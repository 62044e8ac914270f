package dev.cinnabar.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Starts an in-JVM server on a free loopback port; shutdown only stops it. A server not given a
 * --dir gets a fresh temporary one, removed at stop: a snapshot one test takes (SAVE, a disk-based
 * full sync) must not be loaded by the next test's server.
 */
public final class TestServers {
    private static final Map<Server, Path> OWN_DIRS = new ConcurrentHashMap<>();

    private TestServers() {
    }

    public static Server start(final String... options) throws Exception {
        return startFrom(null, options);
    }

    /** Started as {@code cinnabar-server <configFile> --port <free> ...}: CONFIG REWRITE has a file to write. */
    public static Server startWithConfig(final Path configFile, final String... options) throws Exception {
        return startFrom(configFile, options);
    }

    private static Server startFrom(final Path configFile, final String... options) throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final List<String> argv = new ArrayList<>();
        if (configFile != null) {
            argv.add(configFile.toString());
        }
        argv.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", ""));
        argv.addAll(Arrays.asList(options));
        Path dir = null;
        if (!argv.contains("--dir")) {
            dir = Files.createTempDirectory("cinnabar-test");
            argv.addAll(List.of("--dir", dir.toString()));
        }
        final Server server = Main.fromArgs(argv.toArray(new String[0]));
        if (dir != null) {
            OWN_DIRS.put(server, dir);
        }
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
            final Path dir = OWN_DIRS.remove(server);
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
