package dev.cinnabar.sentinel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * The queue of notification and client-reconfig scripts. Redis: sentinel.c sentinelScheduleScriptExecution(),
 * sentinelRunPendingScripts(), sentinelCollectTerminatedScripts(), sentinelKillTimedoutScripts().
 *
 * <p>Why a queue driven by the timer: a failover fires bursts of events, and scripts may hang or fail; the queue
 * bounds what runs at once and what waits, and retries transient failures with a growing delay.
 *
 * <ol>
 * <li>At most 16 scripts run at once and 256 wait; past that the oldest waiting job is dropped.</li>
 * <li>A script that exits with 1 or dies by a signal is retried (up to 10 runs), after 30 s, 60 s, 2 min...</li>
 * <li>A script running longer than script-max-runtime is killed (and then retried like any signalled one).</li>
 * <li>The queue is touched only on the sentinel's loop; exits come back through {@code loop.execute}.</li>
 * </ol>
 */
final class ScriptRunner {
    static final int MAX_QUEUE = 256;
    static final int MAX_RUNNING = 16;
    static final int MAX_RETRY = 10;

    /** One scheduled script. */
    static final class Job {
        final List<String> argv;
        int retryNum;
        /** When running: its start; when waiting: 0 (run now) or the earliest retry time. */
        long startTime;
        boolean running;
        ScriptLauncher.Handle handle;

        Job(final List<String> argv) {
            this.argv = argv;
        }

        long pid() {
            return handle == null ? 0 : handle.pid();
        }
    }

    private final Sentinel sentinel;
    private final LinkedList<Job> queue = new LinkedList<>();
    private int running;

    ScriptRunner(final Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    int running() {
        return running;
    }

    int queueLength() {
        return queue.size();
    }

    List<Job> jobs() {
        return new ArrayList<>(queue);
    }

    void schedule(final List<String> argv) {
        queue.add(new Job(List.copyOf(argv)));
        if (queue.size() > MAX_QUEUE) {
            final Iterator<Job> it = queue.iterator();
            while (it.hasNext()) {
                if (!it.next().running) {
                    it.remove();
                    break;
                }
            }
        }
    }

    void tick(final long nowMs) {
        runPending(nowMs);
        killTimedOut(nowMs);
    }

    private void runPending(final long nowMs) {
        for (final Job job : new ArrayList<>(queue)) {
            if (running >= MAX_RUNNING) {
                return;
            }
            if (job.running || (job.startTime != 0 && job.startTime > nowMs)) {
                continue;
            }
            job.running = true;
            job.startTime = nowMs;
            job.retryNum++;
            running++;
            job.handle = sentinel.env.scripts().launch(job.argv,
                (code, signal) -> sentinel.env.loop().execute(() -> terminated(job, code, signal)));
            sentinel.event(SentinelEventSink.Level.DEBUG, "+script-child", null, Long.toString(job.pid()));
        }
    }

    /** Retry delay before run {@code retryNum + 1}: script-retry-delay doubled for every retry after the first. */
    long retryDelay(final int retryNum) {
        long delay = sentinel.timings.scriptRetryDelay;
        for (int n = retryNum; n > 1; n--) {
            delay *= 2;
        }
        return delay;
    }

    private void terminated(final Job job, final int exitCode, final int signal) {
        if (!job.running) {
            return;
        }
        sentinel.event(SentinelEventSink.Level.DEBUG, "-script-child", null,
            job.pid() + " " + exitCode + " " + signal);
        running--;
        job.running = false;
        if ((signal != 0 || exitCode == 1) && job.retryNum != MAX_RETRY) {
            job.handle = null;
            job.startTime = sentinel.env.clock().getAsLong() + retryDelay(job.retryNum);
            return;
        }
        if (signal != 0 || exitCode != 0) {
            sentinel.event(SentinelEventSink.Level.WARNING, "-script-error", null,
                job.argv.get(0) + " " + signal + " " + exitCode);
        }
        queue.remove(job);
    }

    private void killTimedOut(final long nowMs) {
        for (final Job job : queue) {
            if (job.running && nowMs - job.startTime > sentinel.timings.scriptMaxRuntime) {
                sentinel.event(SentinelEventSink.Level.WARNING, "-script-timeout", null,
                    job.argv.get(0) + " " + job.pid());
                job.handle.kill();
            }
        }
    }

    /** Kills whatever still runs (sentinel shutdown). */
    void killAll() {
        for (final Job job : queue) {
            if (job.running && job.handle != null) {
                job.handle.kill();
            }
        }
    }
}
