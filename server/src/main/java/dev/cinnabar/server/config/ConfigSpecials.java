package dev.cinnabar.server.config;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.server.pubsub.KeyspaceNotifier;

/**
 * The parameters whose value is not a single typed scalar (Redis's "special" configs): their
 * parsing with Redis's error texts, and how CONFIG GET shows them. Each setter validates the
 * whole value before touching the config, so a failed set leaves the old value in place.
 */
public final class ConfigSpecials {
    private static final String NOTIFY_CHARS = "Ag$lshzxeKEtmdn";
    private static final String[] SHUTDOWN_FLAGS = {"save", "nosave", "now", "force"};

    private ConfigSpecials() {
    }

    static List<String> words(final String value) {
        final List<String> w = ConfigFileParser.split(value);
        return w == null ? List.of() : w;
    }

    static ConfigParam save(final ServerConfig c) {
        return ConfigParam.named("save").multiArg().accumulates()
            .rewriteAs(v -> v.isEmpty() ? List.of("\"\"") : pairs(v))
            .custom("3600 1 300 100 60 10000", v -> {
                final List<String> w = words(v);
                if (w.size() % 2 != 0) {
                    return "Invalid save parameters";
                }
                final List<long[]> points = new ArrayList<>();
                for (int i = 0; i < w.size(); i += 2) {
                    final byte[] s = Bytes.utf8(w.get(i));
                    final byte[] n = Bytes.utf8(w.get(i + 1));
                    if (!Bytes.isLong(s) || !Bytes.isLong(n) || Bytes.parseLong(s) < 0 || Bytes.parseLong(n) < 0) {
                        return "Invalid save parameters";
                    }
                    points.add(new long[] {Bytes.parseLong(s), Bytes.parseLong(n)});
                }
                c.saveParams = points;
                return null;
            }, () -> {
                final StringBuilder sb = new StringBuilder();
                for (final long[] p : c.saveParams) {
                    sb.append(sb.length() == 0 ? "" : " ").append(p[0]).append(' ').append(p[1]);
                }
                return sb.toString();
            });
    }

    private static List<String> pairs(final String v) {
        final List<String> w = words(v);
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i + 1 < w.size(); i += 2) {
            lines.add(w.get(i) + " " + w.get(i + 1));
        }
        return lines;
    }

    static ConfigParam clientOutputBufferLimit(final ServerConfig c) {
        final String def = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";
        return ConfigParam.named("client-output-buffer-limit").multiArg()
            .rewriteAs(v -> {
                final List<String> w = words(v);
                final List<String> d = words(def);
                final List<String> lines = new ArrayList<>();
                for (int i = 0; i + 3 < w.size(); i += 4) {
                    if (!w.subList(i, i + 4).equals(d.subList(i, i + 4))) {
                        lines.add(w.get(i) + " " + ConfigParam.formatMemory(Long.parseLong(w.get(i + 1))) + " "
                            + ConfigParam.formatMemory(Long.parseLong(w.get(i + 2))) + " " + w.get(i + 3));
                    }
                }
                return lines;
            })
            .custom(def, v -> {
                final List<String> w = words(v);
                if (w.isEmpty() || w.size() % 4 != 0) {
                    return "Wrong number of arguments in buffer limit configuration.";
                }
                final long[][] parsed = new long[w.size() / 4][];
                final int[] classes = new int[w.size() / 4];
                for (int i = 0; i < w.size(); i += 4) {
                    final int cls = clientClass(w.get(i));
                    if (cls < 0) {
                        return "Invalid client class specified in buffer limit configuration.";
                    }
                    final long hard = MemoryUnits.parse(w.get(i + 1));
                    final long soft = MemoryUnits.parse(w.get(i + 2));
                    final byte[] secs = Bytes.utf8(w.get(i + 3));
                    if (hard < 0 || soft < 0 || !Bytes.isLong(secs) || Bytes.parseLong(secs) < 0) {
                        return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                    }
                    classes[i / 4] = cls;
                    parsed[i / 4] = new long[] {hard, soft, Bytes.parseLong(secs)};
                }
                for (int i = 0; i < classes.length; i++) {
                    System.arraycopy(parsed[i], 0, c.clientOutputBufferLimits[classes[i]], 0, 3);
                }
                return null;
            }, () -> {
                final StringBuilder sb = new StringBuilder();
                for (int i = 0; i < ServerConfig.CLIENT_CLASSES.length; i++) {
                    final long[] l = c.clientOutputBufferLimits[i];
                    sb.append(i == 0 ? "" : " ").append(ServerConfig.CLIENT_CLASSES[i]).append(' ')
                        .append(l[0]).append(' ').append(l[1]).append(' ').append(l[2]);
                }
                return sb.toString();
            });
    }

    private static int clientClass(final String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            default -> -1;
        };
    }

    static ConfigParam notifyKeyspaceEvents(final ServerConfig c) {
        return ConfigParam.named("notify-keyspace-events").rewriteAs(v -> List.of(ConfigParam.quote(v)))
            .custom("", v -> {
                final int flags = KeyspaceNotifier.parse(v);
                if (flags < 0) {
                    return "Invalid event class character. Use '" + NOTIFY_CHARS + "'.";
                }
                c.notifyFlags = flags;
                c.notifyKeyspaceEvents = KeyspaceNotifier.format(flags);
                return null;
            }, () -> c.notifyKeyspaceEvents);
    }

    static ConfigParam bind(final ServerConfig c) {
        return ConfigParam.named("bind").multiArg().custom("* -::*", v -> {
            final List<String> w = words(v);
            if (w.size() > 16) {
                return "Too many bind addresses specified.";
            }
            c.bind = new ArrayList<>(w);
            return null;
        }, () -> String.join(" ", c.bind));
    }

    /** dbfilename: a plain file name, as Redis's isValidDBfilename requires. */
    static ConfigParam dbfilename(final ServerConfig c) {
        return ConfigParam.named("dbfilename").protectedConfig().rewriteAs(v -> List.of(ConfigParam.quote(v)))
            .custom("dump.rdb", v -> {
                if (v.contains("/")) {
                    return "dbfilename can't be a path, just a filename";
                }
                c.dbfilename = v;
                return null;
            }, () -> c.dbfilename);
    }

    static ConfigParam dir(final ServerConfig c) {
        c.dir = new File(".").getAbsoluteFile().toPath().normalize().toString();
        return ConfigParam.named("dir").protectedConfig().rewriteAs(v -> List.of(ConfigParam.quote(v)))
            .custom(c.dir, v -> {
                final File f = new File(v).isAbsolute() ? new File(v) : new File(c.dir, v);
                if (!f.exists()) {
                    return "No such file or directory";
                }
                if (!f.isDirectory()) {
                    return "Not a directory";
                }
                try {
                    c.dir = f.getCanonicalPath();
                } catch (IOException e) {
                    return e.getMessage();
                }
                return null;
            }, () -> c.dir);
    }

    static ConfigParam oomScoreAdjValues() {
        final int[] cur = new int[3];
        return ConfigParam.named("oom-score-adj-values").multiArg().custom("0 200 800", v -> {
            final List<String> w = words(v);
            if (w.size() != 3) {
                return "wrong number of arguments";
            }
            final int[] vals = new int[3];
            for (int i = 0; i < 3; i++) {
                final byte[] b = Bytes.utf8(w.get(i));
                if (!Bytes.isLong(b) || Math.abs(Bytes.parseLong(b)) > 2000) {
                    return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
                }
                vals[i] = (int) Bytes.parseLong(b);
            }
            System.arraycopy(vals, 0, cur, 0, 3);
            return null;
        }, () -> cur[0] + " " + cur[1] + " " + cur[2]);
    }

    static ConfigParam latencyTrackingInfoPercentiles(final ServerConfig c) {
        return ConfigParam.named("latency-tracking-info-percentiles").multiArg()
            .rewriteAs(v -> List.of(v.isEmpty() ? "\"\"" : v))
            .custom("50 99 99.9", v -> {
                final List<String> w = words(v);
                final double[] p = new double[w.size()];
                for (int i = 0; i < p.length; i++) {
                    try {
                        p[i] = Double.parseDouble(w.get(i));
                    } catch (NumberFormatException e) {
                        return "Invalid latency-tracking-info-percentiles parameters";
                    }
                    if (p[i] < 0 || p[i] > 100) {
                        return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
                    }
                }
                c.latencyPercentiles = p;
                final StringBuilder sb = new StringBuilder();
                for (final double d : p) {
                    sb.append(sb.length() == 0 ? "" : " ").append(formatPercentile(d));
                }
                c.latencyTrackingPercentiles = sb.toString();
                return null;
            }, () -> c.latencyTrackingPercentiles);
    }

    /** "99.9", "50": the shortest form, as Redis prints percentiles (%f with zeros trimmed). */
    public static String formatPercentile(final double d) {
        return new BigDecimal(String.format(Locale.ROOT, "%f", d)).stripTrailingZeros().toPlainString();
    }

    static ConfigParam shutdownOn(final String name) {
        final int[] cur = {0};
        return ConfigParam.named(name).multiArg().custom("default", v -> {
            int flags = 0;
            for (final String w : words(v)) {
                final String l = w.toLowerCase(Locale.ROOT);
                int bit = -1;
                if (l.equals("default")) {
                    bit = 0;
                }
                for (int i = 0; i < SHUTDOWN_FLAGS.length; i++) {
                    if (SHUTDOWN_FLAGS[i].equals(l)) {
                        bit = 1 << i;
                    }
                }
                if (bit < 0) {
                    return "argument(s) must be one of the following: default, save, nosave, now, force";
                }
                flags |= bit;
            }
            if ((flags & 3) == 3) {
                return "shutdown options SAVE and NOSAVE can't be used simultaneously";
            }
            cur[0] = flags;
            return null;
        }, () -> {
            if (cur[0] == 0) {
                return "default";
            }
            final List<String> out = new ArrayList<>();
            for (int i = 0; i < SHUTDOWN_FLAGS.length; i++) {
                if ((cur[0] & (1 << i)) != 0) {
                    out.add(SHUTDOWN_FLAGS[i]);
                }
            }
            return String.join(" ", out);
        });
    }

    static ConfigParam maxmemoryClients() {
        final String[] cur = {"0"};
        return ConfigParam.named("maxmemory-clients")
            .rewriteAs(v -> List.of(v.endsWith("%") ? v : ConfigParam.formatMemory(Long.parseLong(v))))
            .custom("0", v -> {
                if (v.endsWith("%")) {
                    final byte[] b = Bytes.utf8(v.substring(0, v.length() - 1));
                    if (!Bytes.isLong(b) || Bytes.parseLong(b) < 0) {
                        return "argument must be a memory or percent value";
                    }
                    if (Bytes.parseLong(b) > 100) {
                        return "percentage argument must be less or equal to 100";
                    }
                    cur[0] = Bytes.parseLong(b) + "%";
                    return null;
                }
                final long n = v.startsWith("-") ? Long.MIN_VALUE : MemoryUnits.parse(v);
                if (n == Long.MIN_VALUE) {
                    return "argument must be a memory or percent value";
                }
                cur[0] = Long.toString(n);
                return null;
            }, () -> cur[0]);
    }

    static ConfigParam unixsocketperm() {
        final int[] cur = {0};
        return ConfigParam.named("unixsocketperm").immutable().custom("0", v -> {
            try {
                final int n = Integer.parseInt(v, 8);
                if (n < 0 || n > 0777) {
                    return "argument must be between 0 and 777 inclusive";
                }
                cur[0] = n;
                return null;
            } catch (NumberFormatException e) {
                return "argument couldn't be parsed into an integer";
            }
        }, () -> Integer.toOctalString(cur[0]));
    }

    /** replicaof: "host port", "no one" to clear; the replication module reads the value. */
    static ConfigParam replicaof() {
        final String[] cur = {""};
        return ConfigParam.named("replicaof").alias("slaveof").immutable().multiArg().custom("", v -> {
            final List<String> w = words(v);
            if (v.isEmpty() || (w.size() == 2 && w.get(0).equalsIgnoreCase("no") && w.get(1).equalsIgnoreCase("one"))) {
                cur[0] = "";
                return null;
            }
            if (w.size() != 2) {
                return "wrong number of arguments";
            }
            final byte[] port = Bytes.utf8(w.get(1));
            if (!Bytes.isLong(port) || Bytes.parseLong(port) < 0 || Bytes.parseLong(port) > 65535) {
                return "Invalid master port";
            }
            cur[0] = w.get(0) + " " + w.get(1);
            return null;
        }, () -> cur[0]);
    }
}
