package dev.cinnabar.server.commands;

import static dev.cinnabar.protocol.command.CommandFlag.ADMIN;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.config.ConfigParam;
import dev.cinnabar.server.config.ConfigRewriter;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.keyspace.Keyspace;

/** CONFIG GET/SET/RESETSTAT/REWRITE over the one config table. */
public final class ConfigCommands implements CommandFamily {
    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder config = t.command("CONFIG").arity(-2).group("server").since("2.0.0")
            .summary("A container for server configuration commands").complexity("Depends on subcommand.");
        config.subcommand("HELP").arity(2).flags(LOADING, STALE).since("5.0.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((ClientSession c, Args a) -> Help.reply(c, HELP));
        config.subcommand("RESETSTAT").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .summary("Reset the stats returned by INFO").complexity("O(1)").handler(this::resetstat);
        config.subcommand("GET").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .summary("Get the values of configuration parameters")
            .complexity("O(N) when N is the number of configuration parameters provided").handler(this::get);
        config.subcommand("SET").arity(-4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .summary("Set configuration parameters to the given values")
            .complexity("O(N) when N is the number of configuration parameters provided")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded").handler(this::set);
        config.subcommand("REWRITE").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).since("2.8.0")
            .summary("Rewrite the configuration file with the in memory configuration").complexity("O(1)")
            .handler(this::rewrite);
    }

    private void get(final ClientSession c, final Args a) {
        final List<String> patterns = new ArrayList<>();
        for (int i = 2; i < a.count(); i++) {
            patterns.add(a.string(i));
        }
        final Map<String, String> found = c.server().configTable().get(patterns);
        c.reply().map(found.size());
        found.forEach((k, v) -> c.reply().bulk(k).bulk(v));
    }

    private void set(final ClientSession c, final Args a) {
        if ((a.count() - 2) % 2 != 0) {
            c.reply().error(Errors.wrongArity("config|set"));
            return;
        }
        final List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < a.count(); i += 2) {
            pairs.add(new String[] {a.string(i), a.string(i + 1)});
        }
        final Server server = c.server();
        final String allow = server.config().enableProtectedConfigs;
        final boolean allowProtected = allow.equals("yes") || (allow.equals("local") && c.isLocal());
        final String err = server.configTable().setAll(pairs, allowProtected, changed -> applyRuntime(server, changed));
        if (err != null) {
            c.reply().error(err);
        } else {
            c.reply().ok();
        }
    }

    /** The effects that need the running server; null or {param, reason}, as Redis's apply functions. */
    private static Object[] applyRuntime(final Server server, final Set<ConfigParam> changed) {
        // the tls-* settings are applied together: one context reload for the whole CONFIG SET
        boolean tlsReloaded = false;
        for (final ConfigParam p : changed) {
            switch (p.name()) {
                case "bind" -> {
                    if (server.net() != null) {
                        final String err = server.net().rebind("Failed to bind to specified addresses.");
                        if (err != null) {
                            return new Object[] {p, err};
                        }
                    }
                }
                case "port", "tls-port" -> {
                    final boolean tls = p.name().equals("tls-port");
                    // a TLS port needs the contexts: build them first if this turns TLS on
                    final String tlsErr = tls && !server.tls().configured() ? server.tls().reload() : null;
                    if (tlsErr != null) {
                        return new Object[] {p, tlsErr};
                    }
                    if (server.net() != null) {
                        final String err = server.net().rebind(tls, "Unable to listen on this port. Check server logs.");
                        if (err != null) {
                            return new Object[] {p, err};
                        }
                    }
                }
                case "tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
                    "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file",
                    "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-prefer-server-ciphers",
                    "tls-session-caching", "tls-session-cache-size", "tls-session-cache-timeout", "tls-auth-clients",
                    "tls-replication" -> {
                    if (!tlsReloaded) {
                        tlsReloaded = true;
                        final String err = server.tls().reload();
                        if (err != null) {
                            return new Object[] {p, err};
                        }
                    }
                }
                case "loglevel" -> ServerLog.level(server.config().loglevel);
                case "maxmemory" -> server.memory().maxmemoryChanged();
                case "proto-max-bulk-len" -> server.clients()
                    .forEach(s -> s.decoder().protoMaxBulkLen(server.config().storage.protoMaxBulkLen));
                default -> {
                }
            }
        }
        return null;
    }

    private void resetstat(final ClientSession c, final Args a) {
        final Server server = c.server();
        server.commandStats().reset();
        server.stats().reset();
        final Keyspace.Stats ks = server.keyspace().stats;
        ks.keyspaceHits = 0;
        ks.keyspaceMisses = 0;
        ks.expiredKeys = 0;
        ks.expiredStalePerc = 0;
        ks.expiredTimeCapReached = 0;
        ks.evictedKeys = 0;
        server.memory().resetStats();
        c.reply().ok();
    }

    private void rewrite(final ClientSession c, final Args a) {
        final Server server = c.server();
        if (server.config().configFile == null) {
            c.reply().error(Errors.NO_CONFIG_FILE);
            return;
        }
        try {
            // with an aclfile the users live there: the config keeps none (rewriteConfigUserOption)
            ConfigRewriter.rewriteFile(Path.of(server.config().configFile), server.configTable(),
                server.acl().aclFile() != null ? List.of() : server.acl().userLines());
            ServerLog.notice("CONFIG REWRITE executed with success.");
            c.reply().ok();
        } catch (IOException e) {
            ServerLog.warning("CONFIG REWRITE failed: " + e.getMessage());
            c.reply().error("ERR Rewriting config file: " + e.getMessage());
        }
    }
}
