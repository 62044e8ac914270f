package dev.cinnabar.it.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7's failover timings, Cinnabar and real Redis 7.0 side by side in the same scenario: the
 * tutorial topology ({@link Fleet}: master + 2 replicas + 3 sentinels, quorum 2, down-after 3000 ms,
 * failover-timeout 10000 ms), a JedisSentinelPool writer ({@link LostWrites}) setting one key at a
 * time, then the fault. Measured from the fault, in ms: the first {@code +odown} any sentinel
 * publishes, the first {@code +switch-master}, and the first write the new master acknowledges
 * through the pool. A fresh fleet per round; the kinds alternate (and which goes first alternates
 * with the rounds) so the machine's load falls on both alike.
 *
 * <p>A measurement, not a check: it runs only with {@code -Dfailover.timings=true}
 * (benchmarks/failover-timings.sh), {@code -Dfailover.timings.rounds=N} rounds (default 3), the
 * fault as soon as the writer got 1000 acknowledgements or, with
 * {@code -Dfailover.timings.steady=S}, S seconds later. Each fault's table (every round and the
 * medians) is printed and appended to target/failover-timings.txt, with every round's event
 * timeline (and when the killed master's connections closed), for docs/benchmarks.md.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
@ExtendWith(NodeLogOnFailure.class)
class FailoverTimingIT {
    private static final int DOWN_AFTER_MS = 3000;
    private static final int FAILOVER_TIMEOUT_MS = 10_000;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Path OUT = Path.of("target", "failover-timings.txt");
    /** How long the fleet runs under the writer before the fault (0: at once, JVMs still cold). */
    private static final Duration STEADY = Duration.ofSeconds(Integer.getInteger("failover.timings.steady", 0));
    private static final Fleet.Kind[] KINDS = {Fleet.Kind.CINNABAR, Fleet.Kind.REDIS};
    /** The events of the timeline line, in failover order. */
    private static final List<String> TIMELINE = List.of("+sdown", "+odown", "+try-failover", "+elected-leader",
        "+selected-slave", "+promoted-slave", "+slave-reconf-sent", "+slave-reconf-done", "+failover-end",
        "+switch-master");

    /** Injects the fault on the fleet's master; returns once it is in place. */
    private interface Fault {
        void inject(Fleet fleet);
    }

    private static final Fault KILL = fleet -> fleet.data.get(0).kill();

    /** The master stops answering for 30 s: long after the failover, so only the new master can acknowledge. */
    private static final Fault DEBUG_SLEEP = fleet -> {
        try (RespClient c = fleet.data.get(0).client()) {
            c.write(RespClient.encode(RespClient.argv("DEBUG", "SLEEP", "30")));
        }
    };

    /** One round of one fleet: ms from the fault to the first +odown, the first +switch-master, the first new ack. */
    record Timing(Fleet.Kind kind, int round, long odownMs, long switchMs, long ackMs, String timeline) {
    }

    @Test
    void masterKilled() throws Exception {
        measure("kill -9 of the master", KILL);
    }

    @Test
    void masterAsleep() throws Exception {
        measure("DEBUG SLEEP 30 on the master", DEBUG_SLEEP);
    }

    private static void measure(final String fault, final Fault inject) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("failover.timings"),
            "a measurement, not a check: run with -Dfailover.timings=true (benchmarks/failover-timings.sh)");
        final int rounds = Integer.getInteger("failover.timings.rounds", 3);
        final List<Timing> timings = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int k = 0; k < KINDS.length; k++) {
                final Fleet.Kind kind = KINDS[(k + round - 1) % KINDS.length];
                final Timing t = once(kind, round, inject);
                timings.add(t);
                System.out.println("FailoverTimingIT: " + fault + ", " + kind + " round " + round + ": " + t);
            }
        }
        record(fault, timings);
    }

    private static Timing once(final Fleet.Kind kind, final int round, final Fault inject) throws Exception {
        try (Fleet fleet = new Fleet(kind, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS);
             SentinelEvents events = new SentinelEvents(fleet.sentinels);
             LostWrites writer = LostWrites.throughSentinelPool(fleet)) {
            final NodeProcess master = fleet.data.get(0);
            Await.until("the writer to get going", () -> writer.acknowledged() > 1000, SETTLE);
            Thread.sleep(STEADY.toMillis());
            final AtomicLong closed = watchClose(master);
            final long fault = System.nanoTime();
            inject.inject(fleet);
            writer.markFault(master.port());
            Await.until("a +switch-master and a write acknowledged by the new master",
                () -> events.first("+switch-master", fault) != null && writer.firstAckElsewhereNanos() != 0, SETTLE);
            final SentinelEvents.Event odown = events.first("+odown", fault);
            final Timing t = new Timing(kind, round, odown == null ? -1 : ms(odown.nanos() - fault),
                ms(events.first("+switch-master", fault).nanos() - fault), ms(writer.firstAckElsewhereNanos() - fault),
                (closed.get() == 0 ? "" : "connections closed " + ms(closed.get() - fault) + ", ")
                    + timeline(events.firstOfEach(fault), fault));
            master.kill(); // a sleeping master would hold up the fleet's close
            return t;
        }
    }

    /**
     * When {@code node} closes a connection of ours (System.nanoTime(), 0 until then): a killed
     * process's sockets close once the kernel has torn it down, which takes longer for a large one.
     */
    private static AtomicLong watchClose(final NodeProcess node) {
        final AtomicLong at = new AtomicLong();
        final RespClient c = node.client();
        final Thread t = new Thread(() -> {
            try (c) {
                if (c.closedByPeer(SETTLE)) {
                    at.set(System.nanoTime());
                }
            }
        }, "close-watch-" + node.port());
        t.setDaemon(true);
        t.start();
        return at;
    }

    private static long ms(final long nanos) {
        return nanos / 1_000_000;
    }

    /** "+sdown 2987, +odown 3012, ...": ms from the fault to the first of each failover event seen. */
    private static String timeline(final Map<String, Long> first, final long fault) {
        final List<String> parts = new ArrayList<>();
        for (final String type : TIMELINE) {
            final Long at = first.get(type);
            if (at != null) {
                parts.add(type + " " + ms(at - fault));
            }
        }
        return String.join(", ", parts);
    }

    /** Each round's row, then the medians and Cinnabar's median over Redis's, as one markdown table. */
    private static void record(final String fault, final List<Timing> timings) throws IOException {
        final StringBuilder sb = new StringBuilder();
        sb.append("\n").append(fault).append(STEADY.isZero() ? "" : " after " + STEADY.toSeconds() + " s of writes")
            .append(" (ms from the fault)\n\n")
            .append("| fleet | round | +odown | +switch-master | first ack on the new master (Jedis pool) |\n")
            .append("| --- | --- | --- | --- | --- |\n");
        for (final Timing t : timings) {
            sb.append(String.format("| %s | %d | %d | %d | %d |%n", t.kind(), t.round(), t.odownMs(), t.switchMs(),
                t.ackMs()));
        }
        final long[][] medians = new long[KINDS.length][];
        for (int k = 0; k < KINDS.length; k++) {
            final Fleet.Kind kind = KINDS[k];
            final List<Timing> mine = timings.stream().filter(t -> t.kind() == kind).toList();
            medians[k] = new long[] {median(mine, Timing::odownMs), median(mine, Timing::switchMs),
                median(mine, Timing::ackMs)};
            sb.append(String.format("| %s | median | %d | %d | %d |%n", kind, medians[k][0], medians[k][1],
                medians[k][2]));
        }
        sb.append(String.format("| Cinnabar / Redis | medians | %.2f | %.2f | %.2f |%n", ratio(medians, 0),
            ratio(medians, 1), ratio(medians, 2)));
        sb.append("\nevent timelines (first of each event on any sentinel, ms from the fault):\n\n");
        for (final Timing t : timings) {
            sb.append("- ").append(t.kind()).append(" round ").append(t.round()).append(": ").append(t.timeline())
                .append('\n');
        }
        System.out.println("FailoverTimingIT:\n" + sb);
        Files.writeString(OUT, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }

    private static long median(final List<Timing> ts, final java.util.function.ToLongFunction<Timing> f) {
        final long[] v = ts.stream().mapToLong(f).toArray();
        Arrays.sort(v);
        return v.length == 0 ? -1 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double ratio(final long[][] medians, final int column) {
        return medians[1][column] > 0 ? (double) medians[0][column] / medians[1][column] : 0;
    }
}
