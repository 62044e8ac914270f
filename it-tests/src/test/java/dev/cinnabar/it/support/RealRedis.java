package dev.cinnabar.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The real redis-server (the oracle) as a process on a free loopback port, configured like
 * {@link ServerProcess}. Tests that need it are skipped, with the install hint, when it is absent.
 */
public final class RealRedis extends NodeProcess {
    public static final String MISSING = "real redis-server not installed: apt-get install redis-server";
    private static final Path SERVER = Path.of("/usr/bin/redis-server");

    private RealRedis(final int port, final List<String> command) {
        super("redis", port, command);
    }

    /** Starts a real redis-server, or aborts the calling test (skipped, not failed) when none is installed. */
    public static RealRedis start(final String... extraArgs) {
        return start(FreePort.next(), extraArgs);
    }

    /** On a given port: a node restarted where its peers expect it. */
    public static RealRedis start(final int port, final String... extraArgs) {
        return startWithConfig(port, null, extraArgs);
    }

    /** On a given port and a config file (null: none), the file first as redis-server wants it. */
    public static RealRedis startWithConfig(final int port, final Path configFile, final String... extraArgs) {
        assumeInstalled();
        final List<String> cmd = new ArrayList<>(List.of(SERVER.toString()));
        if (configFile != null) {
            cmd.add(configFile.toAbsolutePath().toString());
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no",
            "--appendonly", "no", "--logfile", ""));
        cmd.addAll(Arrays.asList(extraArgs));
        return new RealRedis(port, cmd);
    }

    public static boolean installed() {
        return Files.isExecutable(SERVER);
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), MISSING);
    }

    /** Path of the real redis-sentinel (its own Debian package), or a skip when absent. */
    public static String sentinel() {
        final Path p = Path.of("/usr/bin/redis-sentinel");
        Assumptions.assumeTrue(Files.isExecutable(p), "real redis-sentinel not installed: apt-get install redis-sentinel");
        return p.toString();
    }

    /** Path of a redis tool from the same package (redis-cli, redis-benchmark), or a skip when absent. */
    public static String tool(final String name) {
        final Path p = Path.of("/usr/bin", name);
        Assumptions.assumeTrue(Files.isExecutable(p), name + " not installed: apt-get install redis-tools");
        return p.toString();
    }
}
