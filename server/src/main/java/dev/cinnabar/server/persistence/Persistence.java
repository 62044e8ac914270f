package dev.cinnabar.server.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.info.InfoWriter;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.replication.ServerReplication;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.ExpireEntry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbException;
import dev.cinnabar.storage.rdb.RdbLoadResult;
import dev.cinnabar.storage.rdb.RdbLoader;
import io.netty.channel.EventLoop;

/**
 * RDB persistence of a data node: SAVE, BGSAVE, the save points, the load at start-up, DEBUG
 * RELOAD, the final save of SHUTDOWN and the MISCONF refusal, with Redis 7.0's counters.
 *
 * <p>Why BGSAVE is a state machine on the loop: Java cannot fork, so the "child" is a
 * {@link BackgroundSave} whose cursor runs in slices on the keyspace loop (scheduled one slice per
 * loop turn, so clients are served between slices) while a writer thread fills the temp file. The
 * loop owns every field here; the writer reports back through {@code loop.execute}.
 *
 * <p>States: NONE → SNAPSHOTTING (BGSAVE started: cursor walking, copy-on-write hook installed) →
 * SYNCING (cursor done: the writer drains and fsyncs) → NONE (renamed, or failed, or aborted by
 * FLUSHALL/SHUTDOWN). Only {@link #state(BgsaveState)} assigns the state.
 *
 * <p>Invariants:
 * <ol>
 *   <li>At most one background save; SAVE and BGSAVE are refused while any snapshot runs (a full
 *       sync's counts too, as Redis's diskless child does).</li>
 *   <li>dump.rdb is only ever replaced by a rename of a complete, synced temp file.</li>
 *   <li>A successful BGSAVE subtracts from dirty the changes made before it started (Redis's
 *       dirty_before_bgsave): changes made during the save are still unsaved.</li>
 * </ol>
 * Redis: rdb.c saveCommand(), bgsaveCommand(), rdbSaveBackground(), backgroundSaveDoneHandlerDisk();
 * server.c serverCron() save points, prepareForShutdown(), writeCommandsDeniedByDiskError().
 */
public final class Persistence {
    /** The background save's phase. */
    public enum BgsaveState { NONE, SNAPSHOTTING, SYNCING }

    /** What BGSAVE did. */
    public enum BgsaveOutcome { STARTED, SCHEDULED, IN_PROGRESS, FAILED }

    private final Server server;
    private BgsaveState state = BgsaveState.NONE;
    private BackgroundSave job;
    private long jobStartSec = -1;
    /** Redis's rdb_bgsave_scheduled: BGSAVE in MULTI, started by the cron. */
    private boolean scheduled;
    private long lastSaveSec;
    private long lastTrySec;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTimeSec = -1;
    private long dirtyBeforeBgsave;
    private long saves;
    private long loadKeysLoaded;
    private long loadKeysExpired;
    private RdbLoadResult startupLoad;
    /**
     * The dataset's load state, written by the thread that loads (start-up) or the loop (a replica's
     * diskless load) and read by INFO and, once per command, by the dispatcher.
     */
    private volatile LoadState loadState = LoadState.NONE;
    private volatile long loadingStartSec;
    private volatile long loadingTotalBytes;
    private volatile long loadingLoadedBytes;
    private long bgsaveSeq;

    public Persistence(final Server server) {
        this.server = server;
        this.lastSaveSec = server.startMs() / 1000;
    }

    private void state(final BgsaveState next) {
        if (next == BgsaveState.NONE) {
            job = null;
            jobStartSec = -1;
        }
        state = next;
    }

    public BgsaveState state() {
        return state;
    }

    private Keyspace ks() {
        return server.keyspace();
    }

    private long nowSec() {
        return server.clock() / 1000;
    }


    /**
     * Loads dir/dbfilename when it exists, before the server listens. A corrupt or unreadable file
     * stops the start: the problem is logged as Redis logs it and an IllegalStateException thrown.
     */
    public void loadAtStartup() {
        final Path file = RdbFiles.dumpFile(server);
        if (!Files.exists(file)) {
            return;
        }
        final long start = System.nanoTime();
        if (!server.configTable().find("replicaof").value().isEmpty()) {
            // a replica keeps logically expired keys for its master's DEL, as Redis's rdbLoad does
            ks().replicaMode(true);
        }
        loadingStartSec = System.currentTimeMillis() / 1000;
        loadingLoadedBytes = 0;
        try {
            loadingTotalBytes = Files.size(file);
            loadState = LoadState.LOADING;
            startupLoad = RdbFiles.load(server, file, read -> loadingLoadedBytes = read);
        } catch (IOException | RuntimeException e) {
            loadState = LoadState.NONE;
            ks().flushAll();
            final String problem = e instanceof RdbException ? e.getMessage() : "can't read " + file + ": " + e;
            ServerLog.warning("Fatal error loading the DB " + file.getFileName() + ": " + problem);
            ServerLog.warning("Terminating server after rdb file reading failure.");
            throw new IllegalStateException("RDB load failed: " + problem, e);
        }
        loadState = LoadState.NONE;
        ServerLog.notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds",
            (System.nanoTime() - start) / 1e9));
    }

    /**
     * NONE; LOADING: commands without the loading flag are refused (-LOADING); ASYNC: a replica's
     * swapdb load within the same history, the old data serves meanwhile (INFO's async_loading).
     */
    public enum LoadState { NONE, LOADING, ASYNC }

    public LoadState loadState() {
        return loadState;
    }

    /**
     * A replica's diskless load starts or ends (Redis's startLoading/stopLoading for a load from
     * the replication socket); {@code totalBytes} is -1 when the master did not announce a length.
     */
    public void replicationLoading(final boolean on, final boolean async, final long totalBytes) {
        if (on) {
            loadingStartSec = System.currentTimeMillis() / 1000;
            loadingTotalBytes = Math.max(0, totalBytes);
            loadingLoadedBytes = 0;
            loadState = async ? LoadState.ASYNC : LoadState.LOADING;
        } else {
            loadState = LoadState.NONE;
        }
    }

    /** Bytes of the RDB parsed so far (any thread): INFO's loading_loaded_bytes. */
    public void loadingProgress(final long bytes) {
        loadingLoadedBytes = bytes;
    }

    /** A full sync is about to replace the dataset: a running BGSAVE must not mix both (Redis's killRDBChild). */
    public void killBgsaveBeforeSyncLoad() {
        killBgsave("Replica is about to load the RDB received from the master, but there is a background save "
            + "running. Stopping it to avoid any race");
    }

    /** What the start-up load read (its aux fields give replication its history back), or null. */
    public RdbLoadResult startupLoad() {
        return startupLoad;
    }

    /** A load finished (start-up, DEBUG RELOAD, full sync): INFO's rdb_last_load_keys_*. */
    public void loaded(final RdbLoadResult r) {
        loadKeysLoaded = r.keys();
        loadKeysExpired = r.expiredSkipped();
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load back. Returns null or the error
     * reply. A file that fails to load leaves the dataset empty rather than partial.
     */
    public String debugReload(final boolean save, final boolean flush, final boolean merge) {
        if (save && !saveNow()) {
            return "ERR";
        }
        final Keyspace ks = ks();
        if (flush) {
            ks.events().flushed(-1);
            ks.flushAll();
        }
        try {
            if (merge) {
                merge(RdbFiles.dumpFile(server));
            } else {
                RdbFiles.load(server, RdbFiles.dumpFile(server));
            }
        } catch (IOException | RuntimeException e) {
            ServerLog.warning("Error loading the RDB dump for DEBUG RELOAD: " + e.getMessage());
            ks.flushAll();
            return "ERR Error trying to load the RDB dump, check server logs.";
        }
        ServerLog.warning("DB reloaded by DEBUG RELOAD");
        return null;
    }

    /** MERGE: the file's keys replace same-named keys of the dataset instead of failing the load. */
    private void merge(final Path file) throws IOException {
        final Keyspace live = ks();
        final Keyspace staged = new Keyspace(live.databases());
        staged.settings(live.settings());
        staged.replicaMode(live.replicaMode());
        staged.nowMs(server.clock());
        final RdbLoadResult r = RdbLoader.load(file, staged, server.clock(),
            server.config().rdbChecksum);
        loaded(r);
        for (int i = 0; i < staged.databases(); i++) {
            final Database from = staged.db(i);
            final Database to = live.db(i);
            from.dict().forEach(e -> {
                to.set(e.key, e.value, false);
                final ExpireEntry x = from.expires().size() == 0 ? null : from.expires().find(e.key);
                if (x != null) {
                    to.setExpire(e.key, x.whenMs);
                }
            });
        }
    }


    /** SAVE: null, or the error reply. */
    public String saveCommand() {
        if (state != BgsaveState.NONE || ks().snapshotRunning()) {
            return Errors.BGSAVE_IN_PROGRESS;
        }
        saves++;
        return saveNow() ? null : "ERR";
    }

    /** Redis's rdbSave: the whole dataset now, atomically; resets dirty and lastsave on success. */
    boolean saveNow() {
        server.refreshClock();
        try {
            RdbFiles.saveNow(ks(), RdbFiles.foregroundTemp(server), RdbFiles.dumpFile(server),
                RdbFiles.options(server), RdbFiles.aux(server));
        } catch (IOException | RuntimeException e) {
            ServerLog.warning("Write error saving DB on disk: " + e.getMessage());
            return false;
        }
        ServerLog.notice("DB saved on disk");
        ks().dirty = 0;
        lastSaveSec = nowSec();
        lastBgsaveOk = true;
        return true;
    }


    /** BGSAVE [SCHEDULE]; {@code inExec} when run by EXEC, which only schedules it (Redis 7.0). */
    public BgsaveOutcome bgsaveCommand(final boolean inExec) {
        if (state != BgsaveState.NONE || ks().snapshotRunning()) {
            return BgsaveOutcome.IN_PROGRESS;
        }
        if (inExec) {
            scheduled = true;
            return BgsaveOutcome.SCHEDULED;
        }
        return startBgsave() ? BgsaveOutcome.STARTED : BgsaveOutcome.FAILED;
    }

    /** Redis's rdbSaveBackground. */
    private boolean startBgsave() {
        server.refreshClock();
        saves++;
        dirtyBeforeBgsave = ks().dirty;
        lastTrySec = nowSec();
        final EventLoop loop = server.net().keyspaceLoop();
        final Path temp = Path.of(server.config().dir)
            .resolve("temp-bgsave-" + ProcessHandle.current().pid() + "-" + (++bgsaveSeq) + ".rdb");
        final BackgroundSave started;
        try {
            started = BackgroundSave.start(ks(), RdbFiles.options(server), RdbFiles.aux(server), temp,
                server.config().rdbKeySaveDelayUs, (j, error) -> report(loop, j, error));
        } catch (IOException | RuntimeException e) {
            lastBgsaveOk = false;
            ServerLog.warning("Can't save in background: " + e.getMessage());
            return false;
        }
        job = started;
        jobStartSec = nowSec();
        state(BgsaveState.SNAPSHOTTING);
        ServerLog.notice("Background saving started");
        loop.execute(() -> step(started));
        return true;
    }

    /** From the writer thread: hand its result to the loop (gone when the server stops: drop the file). */
    private void report(final EventLoop loop, final BackgroundSave j, final IOException error) {
        try {
            loop.execute(() -> {
                server.refreshClock();
                written(j, error);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            j.deleteQuietly();
        }
    }

    /** One slice of the cursor, then the next one on a later loop turn. */
    private void step(final BackgroundSave j) {
        if (j != job || state != BgsaveState.SNAPSHOTTING) {
            return;
        }
        final EventLoop loop = server.net().keyspaceLoop();
        try {
            switch (j.step()) {
                // a scheduled task runs on the next loop turn, after the pending I/O: clients go first
                case AGAIN -> loop.schedule(() -> step(j), 0, TimeUnit.NANOSECONDS);
                case LATER -> loop.schedule(() -> step(j), 1, TimeUnit.MILLISECONDS);
                case FINISHED -> state(BgsaveState.SYNCING);
            }
        } catch (IOException | RuntimeException e) {
            finish(j, e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }

    /** The writer's report, on the loop: publish the file, or record the failure. */
    private void written(final BackgroundSave j, final IOException error) {
        if (j != job) {
            j.deleteQuietly();
            return;
        }
        IOException e = error;
        if (e == null && state != BgsaveState.SYNCING) {
            e = new IOException("the writer ended before the snapshot");
        }
        if (e == null) {
            try {
                RdbFiles.publish(j.temp(), RdbFiles.dumpFile(server));
                ServerLog.notice("DB saved on disk");
            } catch (IOException x) {
                e = x;
            }
        }
        finish(j, e);
    }

    /** Redis's backgroundSaveDoneHandlerDisk. */
    private void finish(final BackgroundSave j, final IOException error) {
        lastBgsaveTimeSec = nowSec() - jobStartSec;
        if (error == null) {
            ServerLog.notice("Background saving terminated with success");
            ks().dirty = Math.max(0, ks().dirty - dirtyBeforeBgsave);
            lastSaveSec = nowSec();
            lastBgsaveOk = true;
        } else {
            j.abort();
            ServerLog.warning("Background saving error: " + error.getMessage());
            lastBgsaveOk = false;
        }
        state(BgsaveState.NONE);
    }

    /**
     * Stops a running BGSAVE without counting it as a failure (Redis's killRDBChild, whose SIGUSR1
     * is whitelisted); its temp file is removed.
     */
    private void killBgsave(final String why) {
        if (job == null) {
            return;
        }
        ServerLog.warning(why);
        lastBgsaveTimeSec = nowSec() - jobStartSec;
        job.abort();
        state(BgsaveState.NONE);
    }

    /** serverCron's part: a due save point, or a scheduled BGSAVE, starts a background save. */
    public void cron(final long nowMs) {
        if (state != BgsaveState.NONE || ks().snapshotRunning()) {
            return;
        }
        final long nowSec = nowMs / 1000;
        final long[] due = SavePoints.due(server.config().saveParams, ks().dirty, nowSec, lastSaveSec, lastTrySec,
            lastBgsaveOk);
        if (due != null) {
            ServerLog.notice(due[1] + " changes in " + due[0] + " seconds. Saving...");
            startBgsave();
            return;
        }
        if (scheduled && SavePoints.scheduledMayStart(nowSec, lastTrySec, lastBgsaveOk) && startBgsave()) {
            scheduled = false;
        }
    }


    /**
     * FLUSHALL is about to empty every database: a running BGSAVE is killed and, with save points
     * configured, dump.rdb becomes the empty dataset at once (Redis's flushAllDataAndResetRDB).
     */
    public void flushingAll() {
        killBgsave("Background saving terminated: FLUSHALL");
        if (!server.config().saveParams.isEmpty()) {
            final long dirty = ks().dirty;
            try {
                RdbFiles.saveNow(new Keyspace(ks().databases()), RdbFiles.foregroundTemp(server),
                    RdbFiles.dumpFile(server), RdbFiles.options(server), RdbFiles.aux(server));
                ServerLog.notice("DB saved on disk");
                lastSaveSec = nowSec();
                lastBgsaveOk = true;
            } catch (IOException | RuntimeException e) {
                ServerLog.warning("Write error saving DB on disk: " + e.getMessage());
            }
            ks().dirty = dirty;
        }
    }

    /**
     * The persistence half of Redis's prepareForShutdown: kill a running BGSAVE, then save when save
     * points are configured and NOSAVE was not given, or when SAVE was. Returns false when the save
     * failed and {@code force} is off: the server must not exit.
     */
    public boolean prepareForShutdown(final boolean save, final boolean nosave, final boolean force) {
        killBgsave("There is a child saving an .rdb. Killing it!");
        if (save || (!nosave && !server.config().saveParams.isEmpty())) {
            ServerLog.notice("Saving the final RDB snapshot before exiting.");
            if (!saveNow()) {
                if (force) {
                    ServerLog.warning("Error trying to save the DB. Exit anyway.");
                } else {
                    ServerLog.warning("Error trying to save the DB, can't exit.");
                    return false;
                }
            }
        }
        return true;
    }


    /**
     * Redis's writeCommandsDeniedByDiskError: after a failed BGSAVE with save points and
     * stop-writes-on-bgsave-error, writes (and PING) are refused until a save succeeds. The
     * master's stream is never refused. Returns null or the error.
     */
    public String writeRefusal(final ClientSession c, final CommandSpec spec) {
        if (lastBgsaveOk || !server.config().stopWritesOnBgsaveError || server.config().saveParams.isEmpty()) {
            return null;
        }
        final ServerReplication repl = server.replication();
        if (repl != null && repl.isMasterClient(c)) {
            return null;
        }
        final boolean write = repl != null ? repl.isWrite(c, spec) : spec.has(CommandFlag.WRITE);
        return write || spec.name().equals("ping") ? Errors.MISCONF : null;
    }

    /** LASTSAVE. */
    public long lastSave() {
        return lastSaveSec;
    }

    /** INFO persistence, Redis 7.0's fields in its order (no fork: the copy-on-write sizes are 0). */
    public void info(final InfoWriter w) {
        final BackgroundSave j = job;
        final long processed = j == null ? 0 : j.keysProcessed();
        final long total = j == null ? 0 : j.keysTotal();
        final LoadState load = loadState;
        w.field("loading", load == LoadState.LOADING ? 1 : 0)
            .field("async_loading", load == LoadState.ASYNC ? 1 : 0)
            .field("current_cow_peak", 0)
            .field("current_cow_size", 0)
            .field("current_cow_size_age", 0)
            .field("current_fork_perc", String.format(Locale.ROOT, "%.2f",
                total == 0 ? 0.0 : Math.min(100.0, processed * 100.0 / total)))
            .field("current_save_keys_processed", processed)
            .field("current_save_keys_total", total)
            .field("rdb_changes_since_last_save", ks().dirty)
            .field("rdb_bgsave_in_progress", state == BgsaveState.NONE ? 0 : 1)
            .field("rdb_last_save_time", lastSaveSec)
            .field("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err")
            .field("rdb_last_bgsave_time_sec", lastBgsaveTimeSec)
            .field("rdb_current_bgsave_time_sec", state == BgsaveState.NONE ? -1 : nowSec() - jobStartSec)
            .field("rdb_saves", saves)
            .field("rdb_last_cow_size", 0)
            .field("rdb_last_load_keys_expired", loadKeysExpired)
            .field("rdb_last_load_keys_loaded", loadKeysLoaded)
            .field("aof_enabled", 0)
            .field("aof_rewrite_in_progress", 0)
            .field("aof_rewrite_scheduled", 0)
            .field("aof_last_rewrite_time_sec", -1)
            .field("aof_current_rewrite_time_sec", -1)
            .field("aof_last_bgrewrite_status", "ok")
            .field("aof_rewrites", 0)
            .field("aof_rewrites_consecutive_failures", 0)
            .field("aof_last_write_status", "ok")
            .field("aof_last_cow_size", 0)
            .field("module_fork_in_progress", 0)
            .field("module_fork_last_cow_size", 0);
        if (load != LoadState.NONE) {
            loadingInfo(w);
        }
    }

    /** The progress fields Redis adds while loading; the ETA is its elapsed × remaining / loaded. */
    private void loadingInfo(final InfoWriter w) {
        final long total = loadingTotalBytes;
        final long loaded = loadingLoadedBytes;
        final long elapsed = System.currentTimeMillis() / 1000 - loadingStartSec;
        final long eta = elapsed == 0 ? 1 : elapsed * (total - loaded) / (loaded + 1);
        w.field("loading_start_time", loadingStartSec)
            .field("loading_total_bytes", total)
            .field("loading_rdb_used_mem", 0)
            .field("loading_loaded_bytes", loaded)
            .field("loading_loaded_perc", String.format(Locale.ROOT, "%.2f", total == 0 ? 0.0 : loaded * 100.0 / total))
            .field("loading_eta_seconds", eta);
    }
}
