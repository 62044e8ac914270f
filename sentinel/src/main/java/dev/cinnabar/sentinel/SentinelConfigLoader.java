package dev.cinnabar.sentinel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.InlineSplitter;
import dev.cinnabar.sentinel.SentinelInstance.Kind;

/**
 * Loads the "sentinel ..." directives of a config file. Redis: sentinel.c queueSentinelConfig(),
 * loadSentinelConfigFromQueue(), sentinelHandleConfiguration().
 *
 * <p>Why queued: the file is rewritten by the sentinel itself, so a directive about a master may come before the
 * master's "monitor" line. Directives are applied in three passes whatever their order in the file: the global
 * ones that affect address resolution and identity (announce-*, resolve-hostnames, myid, current-epoch...), then
 * every "monitor", then the per-master ones. The first error stops loading, as a fatal config error.
 */
public final class SentinelConfigLoader {
    private static final Set<String> PRE_MONITOR = Set.of("announce-ip", "announce-port", "deny-scripts-reconfig",
        "sentinel-user", "sentinel-pass", "current-epoch", "myid", "resolve-hostnames", "announce-hostnames",
        "coordinated-failover");

    /** One directive: the words after "sentinel", its line number (1-based) and the line as written. */
    public record Directive(List<String> argv, int lineNumber, String line) {
    }

    private final List<Directive> pre = new ArrayList<>();
    private final List<Directive> monitor = new ArrayList<>();
    private final List<Directive> post = new ArrayList<>();

    /** Queues one directive ({@code argv} without the leading "sentinel"); empty argv are ignored. */
    public void queue(final List<String> argv, final int lineNumber, final String line) {
        if (argv.isEmpty()) {
            return;
        }
        final Directive d = new Directive(List.copyOf(argv), lineNumber, line);
        final String name = argv.get(0).toLowerCase(Locale.ROOT);
        if (name.equals("monitor")) {
            monitor.add(d);
        } else if (PRE_MONITOR.contains(name)) {
            pre.add(d);
        } else {
            post.add(d);
        }
    }

    /** Queues the sentinel directives of a whole file's text; other lines are left to the host. */
    public static SentinelConfigLoader ofText(final String content) throws SentinelConfigException {
        final SentinelConfigLoader loader = new SentinelConfigLoader();
        final String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final Args a = InlineSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            if (a == null) {
                throw new SentinelConfigException(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (a.count() > 1 && a.string(0).equalsIgnoreCase("sentinel")) {
                final List<String> argv = new ArrayList<>();
                for (int k = 1; k < a.count(); k++) {
                    argv.add(a.string(k));
                }
                loader.queue(argv, i + 1, line);
            }
        }
        return loader;
    }

    /** Reads {@code path} with {@link #ofText}. */
    public static SentinelConfigLoader ofFile(final java.nio.file.Path path) throws java.io.IOException,
        SentinelConfigException {
        return ofText(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** Applies the queued directives to {@code s} in the three passes; the first failure is thrown. */
    public void load(final Sentinel s) throws SentinelConfigException {
        final long now = s.env.clock().getAsLong();
        for (final List<Directive> pass : List.of(pre, monitor, post)) {
            for (final Directive d : pass) {
                final String err = apply(s, d.argv(), now);
                if (err != null) {
                    throw new SentinelConfigException(d.lineNumber(), d.line(), err);
                }
            }
        }
    }

    /** sentinelHandleConfiguration: null on success, else the reason. */
    static String apply(final Sentinel s, final List<String> argv, final long nowMs) {
        final String name = argv.get(0).toLowerCase(Locale.ROOT);
        final int argc = argv.size();
        switch (name) {
            case "monitor":
                if (argc != 5) {
                    break;
                }
                final int quorum = (int) Numbers.atol(argv.get(4));
                if (quorum <= 0) {
                    return "Quorum must be 1 or greater.";
                }
                try {
                    s.createInstance(argv.get(1), Kind.MASTER, argv.get(2), (int) Numbers.atol(argv.get(3)), quorum,
                        null, nowMs);
                } catch (Sentinel.CreateException e) {
                    return e.reason(Kind.MASTER);
                }
                return null;
            case "current-epoch":
                if (argc != 2) {
                    break;
                }
                final long epoch = Numbers.strtoull(argv.get(1));
                if (Long.compareUnsigned(epoch, s.currentEpoch) > 0) {
                    s.currentEpoch = epoch;
                }
                return null;
            case "myid":
                if (argc != 2) {
                    break;
                }
                if (argv.get(1).length() != Sentinel.RUN_ID_SIZE) {
                    return "Malformed Sentinel id in myid option.";
                }
                s.myid = argv.get(1);
                return null;
            case "announce-ip":
                if (argc != 2) {
                    break;
                }
                if (!argv.get(1).isEmpty()) {
                    s.announceIp = argv.get(1);
                }
                return null;
            case "announce-port":
                if (argc != 2) {
                    break;
                }
                s.announcePort = (int) Numbers.atol(argv.get(1));
                return null;
            case "deny-scripts-reconfig":
            case "resolve-hostnames":
            case "announce-hostnames":
            case "coordinated-failover":
                if (argc != 2) {
                    break;
                }
                return applyYesNo(s, name, argv.get(1));
            case "sentinel-user":
                if (argc != 2) {
                    break;
                }
                if (!argv.get(1).isEmpty()) {
                    s.sentinelAuthUser = argv.get(1);
                }
                return null;
            case "sentinel-pass":
                if (argc != 2) {
                    break;
                }
                if (!argv.get(1).isEmpty()) {
                    s.sentinelAuthPass = argv.get(1);
                }
                return null;
            default:
                return applyToMaster(s, name, argv, nowMs);
        }
        return "Unrecognized sentinel configuration statement.";
    }

    private static String applyYesNo(final Sentinel s, final String name, final String value) {
        final int v = yesNo(value);
        if (v < 0) {
            return name.equals("deny-scripts-reconfig")
                ? "Please specify yes or no for the deny-scripts-reconfig options."
                : "Please specify yes or no for the " + name + " option.";
        }
        switch (name) {
            case "deny-scripts-reconfig" -> s.denyScriptsReconfig = v == 1;
            case "resolve-hostnames" -> s.resolveHostnames = v == 1;
            case "coordinated-failover" -> s.coordinatedFailover = v == 1;
            default -> s.announceHostnames = v == 1;
        }
        return null;
    }

    /** yesnotoi: 1, 0, or -1 when neither. */
    static int yesNo(final String s) {
        if (s.equalsIgnoreCase("yes")) {
            return 1;
        }
        return s.equalsIgnoreCase("no") ? 0 : -1;
    }

    private static String applyToMaster(final Sentinel s, final String name, final List<String> argv,
                                        final long nowMs) {
        final int argc = argv.size();
        final boolean shapeOk = switch (name) {
            case "down-after-milliseconds", "failover-timeout", "parallel-syncs", "notification-script",
                "client-reconfig-script", "auth-pass", "auth-user", "config-epoch", "leader-epoch",
                "master-reboot-down-after-period" -> argc == 3;
            case "known-slave", "known-replica", "rename-command" -> argc == 4;
            case "known-sentinel" -> argc == 4 || argc == 5;
            default -> false;
        };
        if (!shapeOk) {
            return "Unrecognized sentinel configuration statement.";
        }
        // the old form of known-sentinel, without a run id, is ignored
        if (name.equals("known-sentinel") && argc == 4) {
            return null;
        }
        final SentinelInstance ri = s.masters.get(argv.get(1));
        if (ri == null) {
            return "No such master with specified name.";
        }
        final String v = argv.get(2);
        switch (name) {
            case "down-after-milliseconds":
                ri.downAfterPeriod = (int) Numbers.atol(v);
                if (ri.downAfterPeriod <= 0) {
                    return "negative or zero time parameter.";
                }
                Sentinel.propagateDownAfterPeriod(ri);
                return null;
            case "failover-timeout":
                ri.failoverTimeout = (int) Numbers.atol(v);
                return ri.failoverTimeout <= 0 ? "negative or zero time parameter." : null;
            case "parallel-syncs":
                ri.parallelSyncs = (int) Numbers.atol(v);
                return null;
            case "notification-script":
                if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(v))) {
                    return "Notification script seems non existing or non executable.";
                }
                ri.notificationScript = v;
                return null;
            case "client-reconfig-script":
                if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(v))) {
                    return "Client reconfiguration script seems non existing or non executable.";
                }
                ri.clientReconfigScript = v;
                return null;
            case "auth-pass":
                ri.authPass = v;
                return null;
            case "auth-user":
                ri.authUser = v;
                return null;
            case "config-epoch":
                ri.configEpoch = Numbers.strtoull(v);
                if (Long.compareUnsigned(ri.configEpoch, s.currentEpoch) > 0) {
                    s.currentEpoch = ri.configEpoch;
                }
                return null;
            case "leader-epoch":
                ri.leaderEpoch = Numbers.strtoull(v);
                return null;
            case "master-reboot-down-after-period":
                ri.masterRebootDownAfterPeriod = (int) Numbers.atol(v);
                return ri.masterRebootDownAfterPeriod < 0 ? "negative time parameter." : null;
            case "known-slave":
            case "known-replica":
                try {
                    s.createInstance(null, Kind.SLAVE, v, (int) Numbers.atol(argv.get(3)), ri.quorum, ri, nowMs);
                } catch (Sentinel.CreateException e) {
                    return e.reason(Kind.SLAVE);
                }
                return null;
            case "known-sentinel":
                try {
                    final SentinelInstance si = s.createInstance(argv.get(4), Kind.SENTINEL, v,
                        (int) Numbers.atol(argv.get(3)), ri.quorum, ri, nowMs);
                    si.runid = argv.get(4);
                    s.tryConnectionSharing(si);
                } catch (Sentinel.CreateException e) {
                    return e.reason(Kind.SENTINEL);
                }
                return null;
            default:
                if (ri.renamedCommands.containsKey(v)) {
                    return "Same command renamed multiple times with rename-command.";
                }
                ri.renamedCommands.put(v, argv.get(3));
                return null;
        }
    }
}
