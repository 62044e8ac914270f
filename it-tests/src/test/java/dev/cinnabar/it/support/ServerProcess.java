package dev.cinnabar.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The built cinnabar-server jar as a real process: {@code --port <free> --bind 127.0.0.1 --save ''}
 * plus the caller's redis-server style arguments. The jar path comes from the system property
 * {@code cinnabar.server.jar}, which the it-tests pom sets for failsafe.
 */
public final class ServerProcess extends NodeProcess {
    private static final String JAR_PROPERTY = "cinnabar.server.jar";

    private ServerProcess(final int port, final List<String> command, final Ready ready) {
        super("cinnabar", port, command, ready);
    }

    /** Listening on TLS only ({@code --port 0 --tls-port <free>}); the arguments must give the certificates. */
    public static ServerProcess startTlsOnly(final String... extraArgs) {
        final int port = FreePort.next();
        final List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xss512k", "-XX:+UseSerialGC",
            "-XX:+PerfDisableSharedMem", "-jar", jar().toString(),
            "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1", "--save", ""));
        cmd.addAll(Arrays.asList(extraArgs));
        return new ServerProcess(port, cmd, Ready.CONNECT);
    }

    public static ServerProcess start(final String... extraArgs) {
        return start(FreePort.next(), extraArgs);
    }

    /** On a given port: a node restarted where its peers expect it. */
    public static ServerProcess start(final int port, final String... extraArgs) {
        return startWithJvmOptions(port, List.of(), extraArgs);
    }

    /**
     * On a given port, on a config file ({@code cinnabar-server <file> --port ...}, the file first as redis-server
     * wants it): CONFIG REWRITE, the sentinels' included, has somewhere to write, and a restart reads it back.
     */
    public static ServerProcess startWithConfig(final int port, final Path configFile, final String... extraArgs) {
        return new ServerProcess(port, command(port, configFile, List.of(), extraArgs), Ready.PONG);
    }

    /** Returned as soon as it listens, perhaps still loading its dump file (answering -LOADING). */
    public static ServerProcess startLoading(final String... extraArgs) {
        final int port = FreePort.next();
        return new ServerProcess(port, command(port, null, List.of(), extraArgs), Ready.PONG_OR_LOADING);
    }

    /** With extra JVM options before -jar (system properties such as -Dcinnabar.tls.provider=jdk). */
    public static ServerProcess startWithJvmOptions(final int port, final List<String> jvmOptions,
                                                    final String... extraArgs) {
        return new ServerProcess(port, command(port, null, jvmOptions, extraArgs), Ready.PONG);
    }

    private static List<String> command(final int port, final Path configFile, final List<String> jvmOptions,
                                        final String... extraArgs) {
        final List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xss512k", "-XX:+UseSerialGC",
            "-XX:+PerfDisableSharedMem"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        if (configFile != null) {
            cmd.add(configFile.toAbsolutePath().toString());
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", ""));
        cmd.addAll(Arrays.asList(extraArgs));
        return cmd;
    }

    /**
     * The node a black-box test talks to: Cinnabar, or the real redis-server when run with
     * {@code -Dcinnabar.it.target=redis}, which checks that a test's expectations are Redis's own.
     */
    public static NodeProcess startUnderTest(final String... extraArgs) {
        return "redis".equals(System.getProperty("cinnabar.it.target")) ? RealRedis.start(extraArgs) : start(extraArgs);
    }

    public static Path jar() {
        final String p = System.getProperty(JAR_PROPERTY);
        if (p == null) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: run the ITs through "
                + "maven (mvn -B verify), whose failsafe configuration sets it");
        }
        final Path jar = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar " + jar + " not found: build it first with "
                + "`mvn -q -B package -DskipTests` in the repository root");
        }
        return jar;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
