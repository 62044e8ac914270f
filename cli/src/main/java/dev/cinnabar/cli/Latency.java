package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * --latency, --latency-history, --latency-dist and --intrinsic-latency. The server modes PING every 10 ms and time
 * the round trip. In the standard (terminal) style --latency redraws one status line forever; in raw or CSV style
 * it prints one summary after the interval and exits, while --latency-history prints every sample and a range line
 * per interval. --latency-dist draws one spectrum row per interval, as redis-cli does.
 */
final class Latency {
    private static final long SAMPLE_EVERY_MS = 10;
    /** Upper bounds (inclusive, microseconds) of the spectrum buckets; a last bucket takes everything slower. */
    private static final long[] DIST_BOUNDS_US = {10, 125, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000,
        9000, 10_000, 20_000, 30_000, 40_000, 50_000, 100_000, 200_000, 300_000, 400_000, 500_000, 1_000_000,
        2_000_000, 4_000_000, 8_000_000, 16_000_000, 30_000_000, 60_000_000};
    private static final String DIST_SYMBOLS = ".-*#123456789ABCDEFGHIJKLMNOPQ?";
    /** xterm-256 background colors from "no samples" to "all samples". */
    private static final int[] PALETTE = {0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 144, 143, 142, 184, 226,
        214, 208, 202, 196};
    private static final int LEGEND_EVERY_ROWS = 20;

    /** Round trips of one window, in whole milliseconds. */
    static final class Window {
        long min = Long.MAX_VALUE;
        long max;
        long total;
        long count;

        void add(final long ms) {
            min = Math.min(min, ms);
            max = Math.max(max, ms);
            total += ms;
            count++;
        }

        double avg() {
            return (double) total / count;
        }

        /** {@code min: 0, max: 1, avg: 0.20 (49 samples)} */
        String status() {
            return String.format(Locale.ROOT, "min: %d, max: %d, avg: %.2f (%d samples)", min, max, avg(), count);
        }

        /** {@code 0 1 0.20 49} in raw style, {@code 0,1,0.20,49} in CSV style. */
        String line(final boolean csv) {
            final String sep = csv ? "," : " ";
            return String.format(Locale.ROOT, "%d%s%d%s%.2f%s%d", min, sep, max, sep, avg(), sep, count);
        }
    }

    private Latency() {
    }

    static int run(final RespConnection c, final CliOptions o, final PrintStream out, final ReplyFormatter.Mode mode)
        throws IOException {
        if (o.special == CliOptions.Special.LATENCY_DIST) {
            return dist(c, o, out);
        }
        final boolean history = o.special == CliOptions.Special.LATENCY_HISTORY;
        final boolean standard = mode == ReplyFormatter.Mode.TTY;
        final long intervalMs = o.interval > 0 ? (long) (o.interval * 1000) : history ? 15_000 : 1000;
        Window w = new Window();
        final long startMs = nowMs();
        long windowStartMs = startMs;
        while (true) {
            final long rttNs = ping(c, out);
            if (rttNs < 0) {
                return 1;
            }
            final long endNs = System.nanoTime();
            final long now = endNs / 1_000_000;
            // whole milliseconds between the two clock readings, as redis-cli counts (sub-ms trips give 0 or 1)
            w.add(now - (endNs - rttNs) / 1_000_000);
            if (standard) {
                out.print("\033[0G\033[2K" + w.status());
            } else if (history) {
                out.print(w.line(mode == ReplyFormatter.Mode.CSV) + "\n");
            } else if (now - startMs > intervalMs) {
                out.print(w.line(mode == ReplyFormatter.Mode.CSV) + "\n");
                out.flush();
                return 0;
            }
            if (history && now - windowStartMs > intervalMs) {
                out.printf(Locale.ROOT, " -- %.2f seconds range%n", (now - windowStartMs) / 1000.0);
                w = new Window();
                windowStartMs = now;
            }
            out.flush();
            CommandRunner.sleep(SAMPLE_EVERY_MS / 1000.0);
        }
    }

    private static int dist(final RespConnection c, final CliOptions o, final PrintStream out) throws IOException {
        final long intervalMs = o.interval > 0 ? (long) (o.interval * 1000) : 1000;
        final long[] counts = new long[DIST_BOUNDS_US.length + 1];
        long samples = 0;
        long rows = 0;
        long windowStartNs = System.nanoTime();
        while (true) {
            final long rttNs = ping(c, out);
            if (rttNs < 0) {
                return 1;
            }
            final long now = System.nanoTime();
            counts[bucket(rttNs / 1000)]++;
            samples++;
            if ((now - windowStartNs) / 1_000_000 > intervalMs) {
                if (rows++ % LEGEND_EVERY_ROWS == 0) {
                    out.print(distLegend());
                }
                out.print(distRow(counts, samples));
                out.flush();
                java.util.Arrays.fill(counts, 0);
                samples = 0;
                windowStartNs = System.nanoTime();
            }
            CommandRunner.sleep(SAMPLE_EVERY_MS / 1000.0);
        }
    }

    /** One PING's round trip in nanoseconds; -1 (after redis-cli's message) when the connection failed. */
    private static long ping(final RespConnection c, final PrintStream out) {
        final long t0 = System.nanoTime();
        try {
            c.call("PING");
        } catch (IOException e) {
            out.flush();
            System.err.println("\nI/O error");
            return -1;
        }
        return System.nanoTime() - t0;
    }

    static int bucket(final long micros) {
        for (int i = 0; i < DIST_BOUNDS_US.length; i++) {
            if (micros <= DIST_BOUNDS_US[i]) {
                return i;
            }
        }
        return DIST_BOUNDS_US.length;
    }

    static String distLegend() {
        final StringBuilder b = new StringBuilder()
            .append("---------------------------------------------\n")
            .append(". - * #          .01 .125 .25 .5 milliseconds\n")
            .append("1,2,3,...,9      from 1 to 9     milliseconds\n")
            .append("A,B,C,D,E        10,20,30,40,50  milliseconds\n")
            .append("F,G,H,I,J        .1,.2,.3,.4,.5       seconds\n")
            .append("K,L,M,N,O,P,Q,?  1,2,4,8,16,30,60,>60 seconds\n")
            .append("From 0 to 100%: ");
        for (final int color : PALETTE) {
            b.append("\033[48;5;").append(color).append("m ");
        }
        return b.append("\033[0m\n").append("---------------------------------------------\n").toString();
    }

    /** One spectrum row: each bucket's symbol on a background as bright as the bucket's share of the samples. */
    static String distRow(final long[] counts, final long samples) {
        final StringBuilder b = new StringBuilder("\033[38;5;0m");
        for (int i = 0; i < counts.length; i++) {
            final int shade = (int) Math.ceil((float) counts[i] / samples * (PALETTE.length - 1));
            b.append("\033[48;5;").append(PALETTE[shade]).append('m').append(DIST_SYMBOLS.charAt(i));
        }
        return b.append("\033[0m\n").toString();
    }

    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
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
                out.printf(Locale.ROOT, "Max latency so far: %d microseconds.%n", maxNs / 1000);
            }
            start = now;
        }
        final double avgNs = runs == 0 ? 0 : (double) (start - begin) / runs;
        out.printf(Locale.ROOT, "%n%d total runs (avg latency: %.4f microseconds / %.2f nanoseconds per run).%n",
            runs, avgNs / 1000, avgNs);
        out.printf(Locale.ROOT, "Worst run took %.0fx longer than the average latency.%n",
            avgNs == 0 ? 0 : maxNs / avgNs);
        return 0;
    }
}
