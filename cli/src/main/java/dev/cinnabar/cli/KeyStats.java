package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * --bigkeys, --memkeys and --hotkeys: SCAN the keyspace, ask every key's type and size (element count, MEMORY USAGE
 * or OBJECT FREQ) in one pipelined round trip per SCAN batch, report each new record as it is found, then a summary,
 * with redis-cli's texts. The progress percentage is the share of keys sampled before the current SCAN batch.
 */
final class KeyStats {
    /** What "size" means for the scan. */
    enum Measure { ELEMENTS, MEMORY, FREQUENCY }

    private static final long PROGRESS_EVERY_KEYS = 1_000_000;
    private static final int HOT_KEYS = 16;
    private static final String HEADER_TAIL = " as well as\n"
        + "# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"
        + "# per 100 SCAN commands (not usually needed).\n\n";

    /** The per-type figures; the specs are name, size command, unit of that command. */
    private static final String[][] TYPES = {
        {"list", "LLEN", "items"}, {"hash", "HLEN", "fields"}, {"string", "STRLEN", "bytes"},
        {"stream", "XLEN", "entries"}, {"set", "SCARD", "members"}, {"zset", "ZCARD", "members"},
    };

    /**
     * The order redis-cli lists the types in its summary. It walks a small hash table that is still being rehashed
     * when it is filled, and every key's lookup moves the rehash on: the order settles after two sampled keys.
     */
    private static final String[][] SUMMARY_ORDER = {
        {"hash", "list", "string", "stream", "set", "zset"},
        {"string", "list", "hash", "stream", "set", "zset"},
        {"list", "hash", "string", "stream", "set", "zset"},
    };

    private static final class TypeStats {
        final String name;
        final String command;
        final String unit;
        long count;
        long total;
        long biggest;
        byte[] biggestKey;

        TypeStats(final String[] spec, final Measure m) {
            name = spec[0];
            command = spec[1];
            unit = m == Measure.MEMORY ? "bytes" : spec[2];
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
        out.print("\n# Scanning the entire keyspace to find " + (measure == Measure.FREQUENCY ? "hot keys"
            : "biggest keys") + HEADER_TAIL);
        final long[] hotCounts = new long[HOT_KEYS];
        final byte[][] hotKeys = new byte[HOT_KEYS][];
        long sampled = 0;
        long keyBytes = 0;
        long scans = 0;
        byte[] cursor = {'0'};
        do {
            final double pct = dbsize == 0 ? 0 : 100.0 * sampled / dbsize;
            final List<byte[]> scan = new ArrayList<>(List.of(b("SCAN"), cursor));
            if (o.pattern != null) {
                scan.add(b("MATCH"));
                scan.add(o.pattern);
            }
            final RespValue reply = c.call(scan);
            if (reply.isError()) {
                out.flush();
                System.err.println("Error: " + reply.string());
                return 1;
            }
            scans++;
            cursor = reply.get(0).bytes();
            final List<RespValue> keys = reply.get(1).elements();
            final TypeStats[] types = measure == Measure.FREQUENCY ? null : types(c, keys, stats);
            for (int i = 0; i < keys.size(); i++) {
                if (types == null || types[i] != null) {
                    c.append(sizeCommand(types == null ? null : types[i], keys.get(i).bytes(), measure, o));
                }
            }
            c.flush();
            for (int i = 0; i < keys.size(); i++) {
                if (types != null && types[i] == null) {
                    continue;
                }
                final byte[] key = keys.get(i).bytes();
                final RespValue size = c.read();
                if (measure == Measure.FREQUENCY) {
                    if (size.isError()) {
                        out.flush();
                        System.err.println("Error: " + size.string());
                        return 1;
                    }
                    sampled++;
                    hot(key, size.integer(), hotCounts, hotKeys, pct, out);
                } else {
                    sampled++;
                    keyBytes += key.length;
                    if (size.isError()) {
                        out.flush();
                        warnSizeFailed(measure == Measure.MEMORY ? "MEMORY USAGE" : types[i].command, key);
                    }
                    record(types[i], key, size.isError() || size.isNull() ? 0 : size.integer(), pct, out);
                }
                if (sampled % PROGRESS_EVERY_KEYS == 0) {
                    out.printf(Locale.ROOT, "[%05.2f%%] Sampled %d keys so far%n", pct, sampled);
                }
            }
            if (o.interval > 0 && scans % 100 == 0) {
                out.flush();
                CommandRunner.sleep(o.interval);
            }
        } while (!(cursor.length == 1 && cursor[0] == '0'));
        out.print("\n-------- summary -------\n\n");
        out.println("Sampled " + sampled + " keys in the keyspace!");
        if (measure == Measure.FREQUENCY) {
            for (int i = HOT_KEYS - 1; i >= 0; i--) {
                if (hotCounts[i] > 0) {
                    out.println("hot key found with counter: " + hotCounts[i] + "\tkeyname: "
                        + ReplyFormatter.repr(hotKeys[i]));
                }
            }
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "Total key length in bytes is %d (avg len %.2f)%n%n", keyBytes,
            sampled == 0 ? 0.0 : (double) keyBytes / sampled);
        final String[] order = SUMMARY_ORDER[(int) Math.min(sampled, SUMMARY_ORDER.length - 1)];
        for (final String name : order) {
            final TypeStats t = stats.get(name);
            if (t.biggestKey != null) {
                out.printf(Locale.ROOT, "Biggest %6s found '%s' has %d %s%n", t.name,
                    ReplyFormatter.repr(t.biggestKey), t.biggest, t.unit);
            }
        }
        out.println();
        for (final String name : order) {
            final TypeStats t = stats.get(name);
            out.printf(Locale.ROOT, "%d %ss with %d %s (%05.2f%% of keys, avg size %.2f)%n", t.count, t.name, t.total,
                t.unit, sampled == 0 ? 0.0 : 100.0 * t.count / sampled, t.count == 0 ? 0.0 : (double) t.total / t.count);
        }
        out.flush();
        return 0;
    }

    /** TYPE of every key of the batch in one round trip; null for types without a size command (modules). */
    private static TypeStats[] types(final RespConnection c, final List<RespValue> keys,
                                     final Map<String, TypeStats> stats) throws IOException {
        for (final RespValue k : keys) {
            c.append(List.of(b("TYPE"), k.bytes()));
        }
        c.flush();
        final TypeStats[] types = new TypeStats[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            final RespValue t = c.read();
            types[i] = t.isError() ? null : stats.get(t.string());
        }
        return types;
    }

    /** redis-cli prints the key as a C string: its bytes up to the first NUL. */
    private static void warnSizeFailed(final String command, final byte[] key) {
        int len = 0;
        while (len < key.length && key[len] != 0) {
            len++;
        }
        final PrintStream err = System.err;
        err.print("Warning:  " + command + " on '");
        err.write(key, 0, len);
        err.println("' failed (may have changed type)");
    }

    private static void record(final TypeStats t, final byte[] key, final long size, final double pct,
                               final PrintStream out) {
        t.count++;
        t.total += size;
        if (size > t.biggest) {
            t.biggest = size;
            t.biggestKey = key;
            out.printf(Locale.ROOT, "[%05.2f%%] Biggest %-6s found so far '%s' with %d %s%n", pct, t.name,
                ReplyFormatter.repr(key), size, t.unit);
        }
    }

    /** Keeps the 16 hottest keys, coldest first; a key enters when it beats the coldest one. */
    private static void hot(final byte[] key, final long freq, final long[] counts, final byte[][] keys,
                            final double pct, final PrintStream out) {
        if (freq <= counts[0]) {
            return;
        }
        int k = 1;
        while (k < HOT_KEYS && freq > counts[k]) {
            counts[k - 1] = counts[k];
            keys[k - 1] = keys[k];
            k++;
        }
        counts[k - 1] = freq;
        keys[k - 1] = key;
        out.printf(Locale.ROOT, "[%05.2f%%] Hot key '%s' found so far with counter %d%n", pct,
            ReplyFormatter.repr(key), freq);
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

    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
