package dev.cinnabar.server;

import dev.cinnabar.protocol.util.RawText;
import dev.cinnabar.sentinel.Sentinel;
import dev.cinnabar.sentinel.SentinelConfigException;
import dev.cinnabar.server.sentinel.SentinelRole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cinnabar.server.config.ConfigDefinitions;
import dev.cinnabar.server.config.ConfigException;
import dev.cinnabar.server.config.ConfigFileParser;
import dev.cinnabar.server.config.ConfigTable;
import dev.cinnabar.server.config.ServerConfig;

/**
 * cinnabar-server: the same command line as redis-server — an optional config file (or "-" for
 * stdin), then "--name value ..." options, -v/--version, -h/--help. No arguments: Redis 7.0's
 * built-in defaults.
 */
public final class Main {
    private Main() {
    }

    /**
     * Netty properties whose defaults suit a library, not this server; each is applied only when
     * not given on the command line. Must run before any Netty class initializes.
     * <ul>
     *   <li>{@code io.netty.jfr.enabled=false}: Netty's allocator registers JFR event types when it
     *       allocates its first memory chunk, about 150 ms of JFR set-up in the first connection of
     *       a fresh server (200 ms first reply instead of 48; docs/benchmarks.md). Pass
     *       {@code -Dio.netty.jfr.enabled=true} to record Netty's events in a profile.</li>
     * </ul>
     */
    static void nettyDefaults(final java.util.Properties props) {
        props.putIfAbsent("io.netty.jfr.enabled", "false");
    }

    public static void main(final String[] argv) throws Exception {
        nettyDefaults(System.getProperties());
        final Server server;
        try {
            server = fromArgs(argv);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        if (server == null) {
            return;
        }
        ServerLog.configure(server.config().logfile, server.config().loglevel);
        ServerLog.notice("oO0OoO0OoO0Oo Cinnabar is starting oO0OoO0OoO0Oo");
        ServerLog.notice("Cinnabar version=" + Version.CINNABAR_VERSION + " (Redis " + Version.REDIS_VERSION
            + " compatible), bits=64, pid=" + ProcessHandle.current().pid() + ", just started");
        if (server.config().configFile == null) {
            ServerLog.warning("Warning: no config file specified, using the default config. In order to specify a "
                + "config file use java -jar cinnabar-server.jar /path/to/redis.conf");
        }
        if (server.config().sentinelMode) {
            ServerLog.role('X');
        }
        try {
            server.start();
            if (server.config().sentinelMode) {
                server.startSentinel();
            }
        } catch (IllegalStateException e) {
            System.exit(1);
            return;
        } catch (SentinelConfigException e) {
            System.err.println(e.fatalMessage(Version.REDIS_VERSION));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownFromSignal, "cinnabar-shutdown"));
        server.onShutdown(() -> {
            server.stop();
            System.exit(0);
        });
        ServerLog.notice("Running mode=" + (server.config().sentinelMode ? "sentinel" : "standalone") + ", port="
            + server.mainPort() + ".");
        ServerLog.notice("Server initialized");
        ServerLog.notice("Ready to accept connections tcp");
    }

    /** Builds a server from redis-server style arguments; null when the arguments asked only for help/version. */
    public static Server fromArgs(final String[] argv) throws ConfigException, IOException {
        final ServerConfig config = new ServerConfig();
        final ConfigTable table = ConfigDefinitions.table(config);
        final StringBuilder conf = new StringBuilder();
        int i = 0;
        if (argv.length >= 1) {
            final String first = argv[0];
            if (first.equals("-v") || first.equals("--version")) {
                System.out.println("Cinnabar server v=" + Version.REDIS_VERSION + " cinnabar=" + Version.CINNABAR_VERSION
                    + " bits=64 java=" + System.getProperty("java.version"));
                return null;
            }
            if (first.equals("-h") || first.equals("--help")) {
                usage();
                return null;
            }
            if (first.equals("-")) {
                conf.append(RawText.decode(System.in.readAllBytes())).append('\n');
                i = 1;
            } else if (!first.startsWith("--")) {
                final Path p = Path.of(first);
                try {
                    conf.append(RawText.read(p)).append('\n');
                } catch (IOException e) {
                    throw new ConfigException("Fatal error, can't open config file '" + first + "': No such file or directory");
                }
                config.configFile = p.toAbsolutePath().toString();
                i = 1;
            }
        }
        final List<String> options = new ArrayList<>(Arrays.asList(argv).subList(i, argv.length));
        config.sentinelMode = options.remove("--sentinel");
        if (!options.isEmpty()) {
            // redis-server puts a newline between the file and the options: line numbers count it
            conf.append('\n').append(ConfigFileParser.optionsToConfig(options));
        }
        if (!config.sentinelMode) {
            table.apply(ConfigFileParser.parse(conf.toString()));
            return withUsers(new Server(config, table), table);
        }
        // a sentinel listens on 26379 unless told otherwise; its "sentinel ..." lines are the sentinel's
        table.apply(ConfigFileParser.parse("port " + Sentinel.DEFAULT_PORT));
        final List<ConfigFileParser.Line> lines = new ArrayList<>(ConfigFileParser.parse(conf.toString()));
        lines.removeIf(l -> !l.words().isEmpty() && l.words().get(0).equalsIgnoreCase("sentinel"));
        table.apply(lines);
        final Path file = config.configFile == null ? null : Path.of(config.configFile);
        final String problem = SentinelRole.configFileProblem(file);
        if (problem != null) {
            throw new ConfigException(problem);
        }
        return withUsers(new Server(config, table, new SentinelRole(file, conf.toString())), table);
    }

    /** The ACL users of the config's "user" lines or of the aclfile; a failure stops the start. */
    private static Server withUsers(final Server server, final ConfigTable table) throws ConfigException {
        final String problem = server.acl().loadAtStartup(table.userLines());
        if (problem != null) {
            throw new ConfigException(problem);
        }
        return server;
    }

    private static void usage() {
        System.err.println(String.join("\n",
            "Usage: ./cinnabar-server [/path/to/redis.conf] [options] [-]",
            "       ./cinnabar-server - (read config from stdin)",
            "       ./cinnabar-server -v or --version",
            "       ./cinnabar-server -h or --help",
            "",
            "Examples:",
            "       ./cinnabar-server (run the server with default conf)",
            "       ./cinnabar-server /etc/redis/6379.conf",
            "       ./cinnabar-server --port 7777",
            "       ./cinnabar-server --port 7777 --replicaof 127.0.0.1 8888",
            "       ./cinnabar-server /etc/myredis.conf --loglevel verbose -",
            "       ./cinnabar-server /etc/myredis.conf --loglevel verbose",
            "",
            "Sentinel mode:",
            "       ./cinnabar-server /etc/sentinel.conf --sentinel"));
    }
}
