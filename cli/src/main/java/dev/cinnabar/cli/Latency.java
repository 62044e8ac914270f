package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * --latency, --latency-history, --latency-dist and --intrinsic-latency. The server modes PING every 10 ms and time
 * the round trip in milliseconds; --latency-dist keeps an HdrHistogram per interval and prints it as a spectrum.
 */
final class Latency {
    private static final long SAMPLE_EVERY_MS = 10;
    private static final double[] DIST_BOUNDS_MS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000};
    private static final int[] DIST_COLORS = {195, 157, 120, 83, 46, 226, 220, 214, 208, 202, 196, 160, 124, 88};

    private Latency() {
    }

    static int run(final RespConnection c, final CliOptions o, final PrintStream out, final boolean tty)
        throws IOException {
        final boolean history = o.special == CliOptions.Special.LATENCY_HISTORY;
        final boolean dist = o.special == CliOptions.Special.LATENCY_DIST;
        final double intervalSec = o.interval > 0 ? o.interval : history ? 15 : 1;
        final long intervalNs = (long) (intervalSec * 1e9);
        if (dist) {
            printDistLegend(out);
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        long count = 0;
        Histogram hist = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long windowStart = System.nanoTime();
        while (true) {
            final long t0 = System.nanoTime();
            final RespValue r = c.call("PING");
            final long rttNs = System.nanoTime() - t0;
            if (r.isError()) {
                System.err.println("\nI/O error");
                return 1;
            }
            final long ms = rttNs / 1_000_000;
            min = Math.min(min, ms);
            max = Math.max(max, ms);
            sum += ms;
            count++;
            hist.recordValue(Math.min(hist.getHighestTrackableValue(), Math.max(1, rttNs / 1000)));
            final boolean windowOver = System.nanoTime() - windowStart >= intervalNs;
            if (!tty && !history && !dist) {
                if (windowOver) {
                    final String sep = o.csv ? "," : " ";
                    out.printf("%d%s%d%s%.2f%s%d%s", min, sep, max, sep, (double) sum / count, sep, count,
                        o.csv ? "" : "\n");
                    out.flush();
                    return 0;
                }
            } else if (dist) {
                if (windowOver) {
                    printDistRow(hist, out);
                    hist = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                    windowStart = System.nanoTime();
                }
            } else {
                out.printf("\033[0G\033[2Kmin: %d, max: %d, avg: %.2f (%d samples)", min, max, (double) sum / count,
                    count);
                if (history && windowOver) {
                    out.printf(" -- %.2f seconds range%n", (System.nanoTime() - windowStart) / 1e9);
                    min = Long.MAX_VALUE;
                    max = 0;
                    sum = 0;
                    count = 0;
                    windowStart = System.nanoTime();
                }
                out.flush();
            }
            CommandRunner.sleep(SAMPLE_EVERY_MS / 1000.0);
        }
    }

    private static void printDistLegend(final PrintStream out) {
        out.println("---------------------------------------------");
        out.print("Latency spectrum, one row per interval; colors by round-trip time (ms):");
        for (int i = 0; i < DIST_BOUNDS_MS.length; i++) {
            out.printf(" \033[48;5;%dm  \033[0m<%s", DIST_COLORS[i], trim(DIST_BOUNDS_MS[i]));
        }
        out.printf(" \033[48;5;%dm  \033[0m>=%s%n", DIST_COLORS[DIST_BOUNDS_MS.length],
            trim(DIST_BOUNDS_MS[DIST_BOUNDS_MS.length - 1]));
        out.println("Each cell: share of samples ( . <1%  - <10%  * <50%  # >=50% ), then p50/p99/max in ms.");
        out.println("---------------------------------------------");
    }

    private static void printDistRow(final Histogram h, final PrintStream out) {
        final long total = h.getTotalCount();
        final StringBuilder row = new StringBuilder();
        long below = 0;
        for (int i = 0; i <= DIST_BOUNDS_MS.length; i++) {
            final long upToUs = i < DIST_BOUNDS_MS.length ? (long) (DIST_BOUNDS_MS[i] * 1000) - 1
                : h.getMaxValue();
            final long cum = i < DIST_BOUNDS_MS.length ? h.getCountBetweenValues(0, upToUs) : total;
            final long inBucket = cum - below;
            below = cum;
            final double share = total == 0 ? 0 : (double) inBucket / total;
            final char mark = inBucket == 0 ? ' ' : share < 0.01 ? '.' : share < 0.1 ? '-' : share < 0.5 ? '*' : '#';
            row.append("\033[48;5;").append(DIST_COLORS[i]).append("m").append(mark).append(mark).append("\033[0m");
        }
        out.printf("%s p50=%.3f p99=%.3f max=%.3f (%d samples)%n", row, h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, total);
        out.flush();
    }

    private static String trim(final double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** --intrinsic-latency: the longest gap the JVM and the kernel put between two consecutive clock reads. */
    static int intrinsic(final int seconds, final PrintStream out) {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long maxNs = 0;
        long runs = 0;
        long start = System.nanoTime();
        final long begin = start;
        while (start < end) {
            final long now = System.nanoTime();
            final long gap = now - start;
            runs++;
            if (gap > maxNs) {
                maxNs = gap;
                out.printf("Max latency so far: %d microseconds.%n", maxNs / 1000);
            }
            start = now;
        }
        final double avgNs = runs == 0 ? 0 : (double) (start - begin) / runs;
        out.printf("%n%d total runs (avg latency: %.4f microseconds / %.2f nanoseconds per run).%n", runs,
            avgNs / 1000, avgNs);
        out.printf("Worst run took %.0fx longer than the average latency.%n", avgNs == 0 ? 0 : maxNs / avgNs);
        return 0;
    }
}
