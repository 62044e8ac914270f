package dev.cinnabar.server.info;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Numbers from Linux's /proc files, read as bytes. Why: INFO runs on the keyspace thread and a
 * sentinel asks every second during a failover; the JVM's own accounting (ThreadMXBean over every
 * thread, regex splits) made INFO's CPU and memory sections cost milliseconds on their first calls.
 */
public final class ProcFiles {
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");
    private static final Path SELF_STATM = Path.of("/proc/self/statm");
    /** utime and stime: fields 14 and 15 of stat, counted after the ")" that ends field 2. */
    private static final int UTIME_AFTER_COMM = 11;

    private ProcFiles() {
    }

    /** The process's user and system clock ticks, or null without procfs. */
    public static long[] processTicks() {
        return ticks(SELF_STAT);
    }

    /** The calling thread's user and system clock ticks, or null without procfs. */
    public static long[] threadTicks() {
        return ticks(THREAD_STAT);
    }

    /** Resident pages (second field of /proc/self/statm), or -1 without procfs. */
    public static long residentPages() {
        final byte[] b = read(SELF_STATM);
        return b == null ? -1 : field(b, 0, 1);
    }

    /**
     * The user share of a precise CPU time, split by the kernel's sampled ticks as getrusage itself
     * splits it; all user time when the ticks are unknown or still zero.
     */
    public static long userPart(final long totalNanos, final long[] ticks) {
        if (ticks == null || ticks[0] + ticks[1] == 0) {
            return totalNanos;
        }
        return (long) (totalNanos * ((double) ticks[0] / (ticks[0] + ticks[1])));
    }

    private static long[] ticks(final Path stat) {
        final byte[] b = read(stat);
        if (b == null) {
            return null;
        }
        int from = b.length;
        while (from > 0 && b[from - 1] != ')') {
            from--;
        }
        final long user = field(b, from, UTIME_AFTER_COMM);
        final long system = field(b, from, UTIME_AFTER_COMM + 1);
        return user < 0 || system < 0 ? null : new long[] {user, system};
    }

    /** The n-th (0-based) space-separated decimal field from {@code from}, or -1. */
    static long field(final byte[] b, final int from, final int n) {
        int i = skipSpaces(b, from);
        for (int k = 0; k < n; k++) {
            while (i < b.length && b[i] != ' ') {
                i++;
            }
            i = skipSpaces(b, i);
        }
        long v = 0;
        int digits = 0;
        for (; i < b.length && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
            v = v * 10 + (b[i] - '0');
        }
        return digits == 0 ? -1 : v;
    }

    private static int skipSpaces(final byte[] b, final int from) {
        int i = from;
        while (i < b.length && b[i] == ' ') {
            i++;
        }
        return i;
    }

    private static byte[] read(final Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
