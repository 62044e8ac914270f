package dev.cinnabar.server.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.cinnabar.protocol.command.CommandTable;

/**
 * Per-command counters indexed by the dense command id (INFO commandstats), latency histograms
 * (INFO latencystats, created on a command's first call), and error counts by prefix (errorstats).
 */
public final class CommandStats {
    private final long[] calls;
    private final long[] usec;
    private final long[] rejected;
    private final long[] failed;
    private final Histogram[] latency;
    private final Map<String, Long> errors = new LinkedHashMap<>();
    public long totalCommands;
    public long totalErrorReplies;
    public long rejectedCalls;

    public CommandStats(final CommandTable table) {
        final int n = table.allWithSubcommands().size();
        calls = new long[n];
        usec = new long[n];
        rejected = new long[n];
        failed = new long[n];
        latency = new Histogram[n];
    }

    public void called(final int id, final long durationNs, final boolean trackLatency) {
        calls[id]++;
        usec[id] += durationNs / 1000;
        totalCommands++;
        if (trackLatency) {
            Histogram h = latency[id];
            if (h == null) {
                h = new Histogram(1, 1_000_000_000_000L, 2);
                latency[id] = h;
            }
            h.recordValue(Math.max(1, durationNs));
        }
    }

    public void failed(final int id) {
        if (id >= 0) {
            failed[id]++;
        }
    }

    public void rejected(final int id) {
        if (id >= 0) {
            rejected[id]++;
        }
        rejectedCalls++;
    }

    /** Counts an error reply by its code (the first word), as Redis's errorstats. */
    public void errorReply(final String code) {
        totalErrorReplies++;
        errors.merge(code, 1L, Long::sum);
    }

    public long calls(final int id) {
        return calls[id];
    }

    public long usec(final int id) {
        return usec[id];
    }

    public long rejectedCalls(final int id) {
        return rejected[id];
    }

    public long failedCalls(final int id) {
        return failed[id];
    }

    public Histogram latency(final int id) {
        return latency[id];
    }

    public Map<String, Long> errors() {
        return errors;
    }

    public void reset() {
        java.util.Arrays.fill(calls, 0);
        java.util.Arrays.fill(usec, 0);
        java.util.Arrays.fill(rejected, 0);
        java.util.Arrays.fill(failed, 0);
        java.util.Arrays.fill(latency, null);
        errors.clear();
        totalCommands = 0;
        totalErrorReplies = 0;
        rejectedCalls = 0;
    }
}
