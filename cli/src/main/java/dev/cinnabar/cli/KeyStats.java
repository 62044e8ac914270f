package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * --bigkeys, --memkeys and --hotkeys: SCAN the keyspace, ask every key's type and size (element count, MEMORY USAGE
 * or OBJECT FREQ) in one pipelined round trip per SCAN batch, report each new record as it is found, then a summary.
 */
final class KeyStats {
    /** What "size" means for the scan. */
    enum Measure { ELEMENTS, MEMORY, FREQUENCY }

    private static final String[][] TYPES = {
        {"list", "LLEN", "items"}, {"hash", "HLEN", "fields"}, {"string", "STRLEN", "bytes"},
        {"stream", "XLEN", "entries"}, {"set", "SCARD", "members"}, {"zset", "ZCARD", "members"},
    };

    private static final class TypeStats {
        final String name;
        final String command;
        final String unit;
        long count;
        long total;
        long biggest = -1;
        byte[] biggestKey;

        TypeStats(final String[] spec, final Measure m) {
            name = spec[0];
            command = spec[1];
            unit = m == Measure.ELEMENTS ? spec[2] : m == Measure.MEMORY ? "bytes" : "";
        }
    }

    private KeyStats() {
    }

    static int run(final RespConnection c, final CliOptions o, final Measure measure, final PrintStream out)
        throws IOException {
        final long dbsize = c.call("DBSIZE").integer();
        final Map<String, TypeStats> stats = new LinkedHashMap<>();
        for (final String[] t : TYPES) {
            stats.put(t[0], new TypeStats(t, measure));
        }
        out.println();
        out.println("# Scanning the entire keyspace to find " + (measure == Measure.ELEMENTS ? "biggest keys"
            : measure == Measure.MEMORY ? "biggest keys" : "hot keys") + " as well as");
        out.println("# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec");
        out.println("# per 100 SCAN commands (not usually needed).");
        out.println();
        final List<byte[]> hot = new ArrayList<>();
        final List<Long> hotFreq = new ArrayList<>();
        long sampled = 0;
        long keyBytes = 0;
        long scans = 0;
        byte[] cursor = {'0'};
        do {
            final List<byte[]> scan = new ArrayList<>(List.of(b("SCAN"), cursor));
            if (o.pattern != null) {
                scan.add(b("MATCH"));
                scan.add(o.pattern);
            }
            final RespValue reply = c.call(scan);
            if (reply.isError()) {
                System.err.println("Error: " + reply.string());
                return 1;
            }
            cursor = reply.get(0).bytes();
            final List<RespValue> keys = reply.get(1).elements();
            for (final RespValue k : keys) {
                c.append(List.of(b("TYPE"), k.bytes()));
            }
            c.flush();
            final String[] types = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                types[i] = c.read().string();
            }
            for (int i = 0; i < keys.size(); i++) {
                final TypeStats t = stats.get(types[i]);
                if (t != null || measure != Measure.ELEMENTS) {
                    c.append(sizeCommand(t, keys.get(i).bytes(), measure, o));
                }
            }
            c.flush();
            for (int i = 0; i < keys.size(); i++) {
                final TypeStats t = stats.get(types[i]);
                if (t == null && measure == Measure.ELEMENTS) {
                    continue;
                }
                final RespValue size = c.read();
                final byte[] key = keys.get(i).bytes();
                sampled++;
                keyBytes += key.length;
                if (size.isError()) {
                    if (measure == Measure.FREQUENCY) {
                        System.err.println("Error: " + size.string());
                        return 1;
                    }
                    continue;
                }
                final long n = size.isNull() ? 0 : size.integer();
                if (measure == Measure.FREQUENCY) {
                    hot.add(key);
                    hotFreq.add(n);
                    continue;
                }
                if (t == null) {
                    continue;
                }
                t.count++;
                t.total += n;
                if (n > t.biggest) {
                    t.biggest = n;
                    t.biggestKey = key;
                    out.printf("[%05.2f%%] Biggest %-6s found so far '%s' with %d %s%n",
                        dbsize == 0 ? 0.0 : 100.0 * sampled / dbsize, t.name, ReplyFormatter.repr(key), n, t.unit);
                }
            }
            if (o.interval > 0 && ++scans % 100 == 0) {
                CommandRunner.sleep(o.interval);
            }
        } while (!(cursor.length == 1 && cursor[0] == '0'));
        out.println();
        out.println("-------- summary -------");
        out.println();
        out.println("Sampled " + sampled + " keys in the keyspace!");
        out.printf("Total key length in bytes is %d (avg len %.2f)%n", keyBytes,
            sampled == 0 ? 0.0 : (double) keyBytes / sampled);
        out.println();
        if (measure == Measure.FREQUENCY) {
            hotSummary(hot, hotFreq, out);
            return 0;
        }
        for (final TypeStats t : stats.values()) {
            if (t.biggestKey != null) {
                out.printf("Biggest %6s found '%s' has %d %s%n", t.name, ReplyFormatter.repr(t.biggestKey), t.biggest,
                    t.unit);
            }
        }
        out.println();
        for (final TypeStats t : stats.values()) {
            out.printf("%d %ss with %d %s (%05.2f%% of keys, avg size %.2f)%n", t.count, t.name, t.total, t.unit,
                sampled == 0 ? 0.0 : 100.0 * t.count / sampled, t.count == 0 ? 0.0 : (double) t.total / t.count);
        }
        return 0;
    }

    private static List<byte[]> sizeCommand(final TypeStats t, final byte[] key, final Measure m, final CliOptions o) {
        switch (m) {
            case MEMORY:
                return o.memkeysSamples > 0
                    ? List.of(b("MEMORY"), b("USAGE"), key, b("SAMPLES"), b(Integer.toString(o.memkeysSamples)))
                    : List.of(b("MEMORY"), b("USAGE"), key);
            case FREQUENCY:
                return List.of(b("OBJECT"), b("FREQ"), key);
            default:
                return List.of(b(t.command), key);
        }
    }

    private static void hotSummary(final List<byte[]> keys, final List<Long> freq, final PrintStream out) {
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(freq.get(b), freq.get(a)));
        for (int i = 0; i < Math.min(16, order.size()); i++) {
            final int k = order.get(i);
            out.printf("hot key found with counter: %d\tkeyname: %s%n", freq.get(k), ReplyFormatter.repr(keys.get(k)));
        }
    }

    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
