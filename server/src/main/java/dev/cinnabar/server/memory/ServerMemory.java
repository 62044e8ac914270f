package dev.cinnabar.server.memory;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.replication.backlog.ReplicationBacklog;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.config.ServerConfig;
import dev.cinnabar.server.info.ProcFiles;
import dev.cinnabar.server.multi.MultiState;
import dev.cinnabar.server.net.ClientPause;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.commands.MemoryFigures;
import dev.cinnabar.storage.evict.Evictor;
import io.netty.channel.EventLoop;

/**
 * maxmemory on the server: the used-memory figure that eviction and INFO share, the OOM verdict of
 * processCommand, and the eviction "time proc" that goes on evicting between loop turns when one
 * run hit its maxmemory-eviction-tenacity budget, or after CONFIG SET maxmemory.
 *
 * <p>Why used memory is an estimate and not the JVM heap: heap in use only drops after a GC, so a
 * limit compared with it would evict long after keys were freed, or everything at once. The figure
 * is the keyspace's running estimate (keys, values, TTLs, dict tables) plus the replication
 * backlog, which Redis counts too; client buffers are not counted. Nothing counted here is exempt,
 * so mem_not_counted_for_evict is 0 (Redis exempts replica output beyond the backlog and the AOF
 * buffer, neither of which this figure includes).
 *
 * <p>Invariants:
 * <ol>
 *   <li>With maxmemory 0 the dispatcher never calls in here (one field read per command).</li>
 *   <li>At most one time proc is scheduled; it reschedules itself only while the evictor is
 *       running, so it stops as soon as memory is back under the limit or nothing is evictable.</li>
 *   <li>No eviction while clients are paused: the dataset stays static, as in Redis 7.0.</li>
 * </ol>
 * Redis: server.c processCommand() (the maxmemory block), evict.c performEvictions(),
 * isSafeToPerformEvictions(), evictionTimeProc(), freeMemoryGetNotCountedMemory(),
 * config.c updateMaxmemory().
 */
public final class ServerMemory implements Evictor.MemoryGauge {
    private final Server server;
    private final ServerConfig config;
    private final Evictor evictor;
    private static final long PAGE_SIZE = 4096;
    private boolean timeProcScheduled;
    private long startupMemory = -1;

    public ServerMemory(final Server server) {
        this.server = server;
        this.config = server.config();
        this.evictor = new Evictor(server.keyspace(), this, System::nanoTime);
    }

    public Evictor evictor() {
        return evictor;
    }

    @Override
    public long usedMemory() {
        final ReplicationBacklog backlog = server.replication() == null ? null : server.replication().state().backlog();
        return server.keyspace().usedMemory() + (backlog == null ? 0 : backlog.allocated());
    }

    /**
     * The figures INFO memory and MEMORY STATS report, measured now: used memory (raising the
     * peak), start-up memory, backlog, client buffers, the JVM heap as the allocator and the RSS.
     */
    public MemoryFigures figures() {
        final long used = usedMemory();
        server.stats().peakMemory = Math.max(server.stats().peakMemory, used);
        if (startupMemory < 0) {
            startupMemory = used;
        }
        final ReplicationBacklog backlog = server.replication() == null ? null : server.replication().state().backlog();
        long clients = 0;
        for (final ClientSession c : server.clients()) {
            clients += c.decoder().capacity() + c.outCapacity();
        }
        final Runtime rt = Runtime.getRuntime();
        return new MemoryFigures(used, server.stats().peakMemory, startupMemory,
            backlog == null ? 0 : backlog.allocated(), clients, rt.totalMemory() - rt.freeMemory(), rt.totalMemory(),
            rss());
    }

    /** used_memory once the server is set up, before any client: Redis's used_memory_startup. */
    public void markStartup() {
        startupMemory = usedMemory();
    }

    /** Resident set size from /proc/self/statm (pages), or the committed heap where there is no procfs. */
    private static long rss() {
        final long pages = ProcFiles.residentPages();
        return pages < 0 ? Runtime.getRuntime().totalMemory() : pages * PAGE_SIZE;
    }

    @Override
    public long notCountedForEviction() {
        return 0;
    }

    /**
     * Redis's maxmemory block of processCommand, called only when maxmemory is set: evicts as the
     * policy says, then tells whether {@code spec} must be refused with OOM. Refused when memory
     * stays over the limit and the command is denyoom, or is an EXEC whose queue holds a denyoom
     * command, or is anything but EXEC, DISCARD, QUIT or RESET inside MULTI (queueing costs memory).
     */
    public boolean refuses(final ClientSession c, final CommandSpec spec) {
        if (!outOfMemory(server.clock())) {
            return false;
        }
        if (spec.has(CommandFlag.DENYOOM)) {
            return true;
        }
        final MultiState multi = c.multi();
        final String n = spec.name();
        if (n.equals("exec")) {
            return queuesDenyoom(multi);
        }
        return multi.active() && !n.equals("discard") && !n.equals("quit") && !n.equals("reset");
    }

    private static boolean queuesDenyoom(final MultiState multi) {
        for (final MultiState.Queued q : multi.queued()) {
            if (q.spec().has(CommandFlag.DENYOOM)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs performEvictions with the current settings; true when memory is still over the limit
     * with nothing left to evict (EVICT_FAIL). Starts the time proc when the budget ran out first.
     */
    public boolean outOfMemory(final long nowMs) {
        if (pausedNow(nowMs)) {
            return false;
        }
        applySettings();
        final Evictor.Result r = evictor.performEvictions(nowMs);
        if (r == Evictor.Result.RUNNING) {
            startTimeProc();
        }
        return r == Evictor.Result.FAIL;
    }

    private boolean pausedNow(final long nowMs) {
        final ClientPause pause = server.pause();
        return pause.mode() != ClientPause.Mode.OFF && nowMs < pause.endMs();
    }

    private void applySettings() {
        evictor.tenacity(config.maxmemoryEvictionTenacity);
        evictor.replicaIgnoreMaxmemory(config.replicaIgnoreMaxmemory);
        evictor.lazyEviction(config.lazyfreeLazyEviction);
    }

    /**
     * CONFIG SET maxmemory: warn when the new limit is below what is used and start the time proc,
     * which evicts right after this loop turn (Redis 7.0's updateMaxmemory: a transaction that
     * lowers maxmemory sees no eviction before its EXEC ends).
     */
    public void maxmemoryChanged() {
        final long max = config.storage.maxmemory;
        if (max == 0) {
            return;
        }
        final long used = usedMemory() - notCountedForEviction();
        if (max < used) {
            ServerLog.warning("WARNING: the new maxmemory value set via CONFIG SET (" + max + ") is smaller than "
                + "the current memory usage (" + used + "). This will result in key eviction and/or the inability to "
                + "accept new write commands depending on the maxmemory-policy.");
        }
        evictor.startTimeProc();
        startTimeProc();
    }

    /** Redis's startEvictionTimeProc: one task on the keyspace loop, after this turn's I/O. */
    private void startTimeProc() {
        if (timeProcScheduled || server.net() == null) {
            return;
        }
        timeProcScheduled = true;
        final EventLoop loop = server.net().keyspaceLoop();
        loop.schedule(() -> timeProc(loop), 0, TimeUnit.MILLISECONDS);
    }

    /** Redis's evictionTimeProc: evict another budget's worth; a pause stops it as it stops eviction. */
    private void timeProc(final EventLoop loop) {
        server.refreshClock();
        final long nowMs = server.clock();
        final boolean paused = pausedNow(nowMs);
        if (!paused) {
            applySettings();
            evictor.doWork(nowMs);
        }
        if (!paused && evictor.running()) {
            loop.schedule(() -> timeProc(loop), 0, TimeUnit.MILLISECONDS);
        } else {
            timeProcScheduled = false;
        }
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        evictor.resetStats();
    }

    /** INFO stats total_eviction_exceeded_time, ms. */
    public long totalExceededTimeMs(final long nowMs) {
        return evictor.totalExceededTimeMs(nowMs);
    }

    /** INFO stats current_eviction_exceeded_time, ms. */
    public long currentExceededTimeMs(final long nowMs) {
        return evictor.currentExceededTimeMs(nowMs);
    }
}
