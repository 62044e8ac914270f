package dev.cinnabar.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.replication.backlog.ReplicationBacklog;
import dev.cinnabar.replication.failover.Failover;
import dev.cinnabar.replication.failover.FailoverState;
import dev.cinnabar.replication.master.FullSync;
import dev.cinnabar.replication.master.PsyncDecision;
import dev.cinnabar.replication.master.RdbStream;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.replication.master.ReplicaSessionState;
import dev.cinnabar.replication.master.Replicas;
import dev.cinnabar.replication.replica.DisklessLoad;
import dev.cinnabar.replication.replica.MasterStream;
import dev.cinnabar.replication.replica.ReplicaLink;
import dev.cinnabar.replication.replica.ReplicaLinkState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The replication state of one server (Redis's server.repl_*, replid, master_repl_offset,
 * masterhost): its role, its ids and offset, its backlog, the replicas attached to it and, as a
 * replica, its link to the master.
 *
 * <p>Why one owner: the stream offset, the backlog and the ids change together (a byte fed moves
 * the offset and enters the backlog; a promotion shifts the ids at the offset; a full sync adopts
 * the master's id and offset and restarts the backlog), so they live in one object that the
 * keyspace loop alone touches.
 *
 * <ol>
 *   <li>{@code masterReplOffset} is the offset of the last byte fed; with a backlog it equals the
 *       backlog's {@code offset + histlen - 1}.</li>
 *   <li>A master feeds its own commands (with SELECT when the database changes); a replica feeds
 *       only what its master sent, byte for byte, so its replicas share the master's history.</li>
 *   <li>A cached master (Redis's cached_master) exists exactly when a PSYNC may continue: its id is
 *       {@code replid}, its offset {@code masterReplOffset}.</li>
 * </ol>
 *
 * <p>Redis: replication.c (replicationSetMaster, replicationUnsetMaster, replicationFeedSlaves,
 * syncCommand, replicationCron, replicationCacheMaster*, replicationAttachToNewMaster).
 */
public final class Replication implements ReplicaLink.Listener {
    private static final byte[][] PING = {"PING".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] GETACK = {"REPLCONF".getBytes(StandardCharsets.US_ASCII),
        "GETACK".getBytes(StandardCharsets.US_ASCII), "*".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    /** The stream goes to the replicas at the end of each loop turn, or as soon as this much piled up. */
    private static final int STREAM_CHUNK_BYTES = 64 * 1024;
    private static final byte[] BGSAVE_FAILED =
        "-ERR BGSAVE failed, replication can't continue\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf NEWLINE = Unpooled.unreleasableBuffer(
        Unpooled.wrappedBuffer(new byte[] {'\n'}).asReadOnly());

    /** Counters of INFO stats. */
    public static final class Stats {
        public long syncFull;
        public long syncPartialOk;
        public long syncPartialErr;
    }

    private final ReplicationSettings settings;
    private final ReplicationLog log;
    private final ReplicationHost host;
    private final ReplicationIds ids = new ReplicationIds();
    private final Replicas replicas;
    private final Failover failover;
    private final Stats stats = new Stats();
    private final RespWriter encoder = new RespWriter();
    /** The stream fed in this loop turn and not yet handed to the replicas; null when none. */
    private ByteBuf stream;
    private boolean streamFlushScheduled;
    private long masterReplOffset;
    private ReplicationBacklog backlog;
    /** Redis's slaveseldb: the database the stream last selected, -1 to force a SELECT. */
    private int streamDb = -1;
    private ReplicaLink link;
    private boolean cachedMaster;
    private FullSync fullSync;
    /** Whether the diskless load in progress is swapdb's (decided when it began). */
    private boolean loadSwap;
    private boolean pumpScheduled;
    private long lastPingMs;
    private long lastReplicaCronMs;
    private long nowMs;

    public Replication(final ReplicationSettings settings, final ReplicationLog log, final ReplicationHost host,
                       final long nowMs) {
        this.settings = settings;
        this.log = log;
        this.host = host;
        this.nowMs = nowMs;
        this.replicas = new Replicas(settings, log, nowMs);
        this.failover = new Failover(log, replicas, new FailoverActions());
        this.lastPingMs = nowMs;
    }

    public ReplicationSettings settings() {
        return settings;
    }

    public ReplicationIds ids() {
        return ids;
    }

    public long masterReplOffset() {
        return masterReplOffset;
    }

    /** The backlog, or null before the first replica attached (or after repl-backlog-ttl). */
    public ReplicationBacklog backlog() {
        return backlog;
    }

    public Replicas replicas() {
        return replicas;
    }

    public Stats stats() {
        return stats;
    }

    /** The coordinated failover (FAILOVER command) of this master. */
    public Failover failover() {
        return failover;
    }

    public boolean isReplica() {
        return link != null;
    }

    /** The link to the master while a replica, else null. */
    public ReplicaLink link() {
        return link;
    }

    public boolean linkUp() {
        return link != null && link.state() == ReplicaLinkState.CONNECTED;
    }

    public boolean hasCachedMaster() {
        return cachedMaster;
    }

    // ---- feeding the stream ----------------------------------------------------------------

    /**
     * A command this master propagates (Redis's replicationFeedSlaves): encoded once, preceded by
     * SELECT when {@code dbId} differs from the stream's database; {@code dbId} -1 never selects.
     * Nothing happens on a replica, or when there is neither backlog nor replica.
     */
    public void propagate(final int dbId, final byte[][] argv) {
        if (!accepting()) {
            return;
        }
        final int start = beginCommand(dbId, argv.length);
        for (final byte[] a : argv) {
            encoder.bulk(a);
        }
        fed(start);
    }

    /** {@link #propagate(int, byte[][])} for a command as received: encoded from the client's input as is. */
    public void propagate(final int dbId, final Args args) {
        if (!accepting()) {
            return;
        }
        final int start = beginCommand(dbId, args.count());
        for (int i = 0; i < args.count(); i++) {
            encoder.bulk(args.array(), args.offset(i), args.length(i));
        }
        fed(start);
    }

    /** Whether a command propagated now enters the stream: a master with a backlog or replicas. */
    public boolean accepting() {
        return link == null && (backlog != null || !replicas.isEmpty());
    }

    /** Starts a command of {@code argc} arguments in the stream, after a SELECT if needed; returns its start. */
    private int beginCommand(final int dbId, final int argc) {
        final ByteBuf out = streamBuffer();
        final int start = out.writerIndex();
        encoder.target(out);
        if (dbId >= 0 && dbId != streamDb) {
            encoder.array(2).bulk(SELECT).bulkLong(dbId);
            streamDb = dbId;
        }
        encoder.array(argc);
        return start;
    }

    /** MasterStream's forwarder: the applied bytes of our master's stream, to our own history. */
    private void forward(final ByteBuf applied) {
        final ByteBuf out = streamBuffer();
        final int start = out.writerIndex();
        out.writeBytes(applied, applied.readerIndex(), applied.readableBytes());
        fed(start);
    }

    private ByteBuf streamBuffer() {
        if (stream == null) {
            stream = host.alloc().buffer(STREAM_CHUNK_BYTES);
        }
        return stream;
    }

    /**
     * The bytes of {@link #stream} from {@code start} were just added: they enter the backlog and
     * the offset now, and reach the replicas with the rest of this loop turn's stream.
     */
    private void fed(final int start) {
        final int n = stream.writerIndex() - start;
        if (backlog != null) {
            backlog.append(stream, start, n);
        }
        masterReplOffset += n;
        // with no replica too: the end of the turn returns the buffer to the pool, so none is held idle
        if (stream.readableBytes() >= STREAM_CHUNK_BYTES) {
            flushStream();
        } else if (!streamFlushScheduled) {
            streamFlushScheduled = true;
            host.execute(this::flushStream);
        }
    }

    /**
     * Stream is waiting for this turn's hand-off to the replicas (a task already queued on the loop):
     * a reply that acknowledges one of its writes must be flushed after that task, not before.
     */
    public boolean streamPending() {
        return streamFlushScheduled;
    }

    /**
     * Hands the stream fed so far to the replicas, one shared chunk for all (Redis's replication
     * buffer blocks): a replica costs one write per loop turn, not one per command. Called at the
     * end of the turn and before anything changes the set of replicas or their states, so each
     * replica gets exactly the bytes fed after it attached.
     */
    private void flushStream() {
        streamFlushScheduled = false;
        if (stream == null || !stream.isReadable()) {
            return;
        }
        final ByteBuf chunk = stream;
        stream = null;
        try {
            replicas.feed(chunk, nowMs);
        } finally {
            chunk.release();
        }
    }

    /** WAIT asked for acknowledgements: REPLCONF GETACK * goes into the stream (it counts in the offset). */
    public void requestAcks() {
        // not while FAILOVER waits: the GETACK would move the offset the target must reach (Redis
        // sends none while clients are paused)
        if (link == null && !replicas.isEmpty() && failover.state() == FailoverState.NO_FAILOVER
            && !host.clientWritesPaused()) {
            propagate(-1, GETACK);
        }
    }

    // ---- master side: replicas attaching ----------------------------------------------------

    /**
     * SYNC or PSYNC from {@code s} (already validated: not a replica yet, no pending output).
     *
     * @param replid      the id asked for; null for SYNC
     * @param psyncOffset the first byte the replica lacks (PSYNC only)
     * @return null, or the error to reply
     */
    public String sync(final ReplicaSession s, final String replid, final long psyncOffset, final long now) {
        nowMs = now;
        flushStream();
        if (failover.state() != FailoverState.NO_FAILOVER) {
            return "NOMASTERLINK Can't SYNC while failing over";
        }
        if (link != null && link.state() != ReplicaLinkState.CONNECTED) {
            return "NOMASTERLINK Can't SYNC while not connected with my master";
        }
        log.notice("Replica " + s.name() + " asks for synchronization");
        if (replid != null) {
            final PsyncDecision d = PsyncDecision.decide(ids, backlog, masterReplOffset, replid, psyncOffset, s.name());
            if (d instanceof PsyncDecision.Continue c) {
                continuePartially(s, c.psyncOffset());
                return null;
            }
            final PsyncDecision.FullResync f = (PsyncDecision.FullResync) d;
            log.notice(f.log());
            if (f.warning() != null) {
                log.warning(f.warning());
            }
            if (f.partialError()) {
                stats.syncPartialErr++;
            }
        }
        stats.syncFull++;
        s.state(ReplicaSessionState.WAIT_BGSAVE_START, now);
        replicas.add(s);
        if (replicas.count() == 1 && backlog == null) {
            // a backlog created from scratch starts a new history: no old replica may continue in it
            ids.change();
            ids.clearSecond();
            createBacklog();
            log.notice("Replication backlog created, my new replication IDs are '" + ids.replid() + "' and '"
                + ids.replid2() + "'");
        }
        if (fullSync != null && !fullSync.finished()) {
            log.notice(fullSync.socketTarget() ? "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC"
                : "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
        } else if (settings.disklessSync && s.capaEof() && settings.disklessSyncDelaySeconds > 0) {
            log.notice("Delay next BGSAVE for diskless SYNC");
        } else {
            startFullSync();
        }
        return null;
    }

    private void continuePartially(final ReplicaSession s, final long psyncOffset) {
        s.state(ReplicaSessionState.ONLINE, nowMs);
        s.ackTime(nowMs);
        replicas.add(s);
        final byte[] line = (s.capaPsync2() ? "+CONTINUE " + ids.replid() + "\r\n" : "+CONTINUE\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        s.channel().write(host.alloc().buffer(line.length).writeBytes(line));
        final ByteBuf tail = host.alloc().buffer((int) Math.min(Integer.MAX_VALUE - 16,
            backlog.offset() + backlog.histlen() - psyncOffset));
        final long n = backlog.copyFrom(psyncOffset, tail);
        s.channel().write(tail);
        stats.syncPartialOk++;
        log.notice("Partial resynchronization request from " + s.name() + " accepted. Sending " + n
            + " bytes of backlog starting from offset " + psyncOffset + ".");
    }

    private void createBacklog() {
        backlog = new ReplicationBacklog(settings.backlogSizeBytes, masterReplOffset + 1);
    }

    /**
     * The replication id and offset an RDB saved now records (Redis's rdbPopulateSaveInfo), so that
     * after a restart on that file this server's replicas, or this replica itself, can continue
     * partially: a master with a backlog, or a replica with a master or a cached one; else null.
     *
     * @param masterClientDb the database the master client of a replica has selected
     */
    public SaveInfo saveInfo(final int masterClientDb) {
        if (link == null) {
            return backlog == null ? null : new SaveInfo(ids.replid(), masterReplOffset, Math.max(streamDb, 0));
        }
        return linkUp() || cachedMaster ? new SaveInfo(ids.replid(), masterReplOffset, masterClientDb) : null;
    }

    /**
     * Start-up after loading an RDB that carried replication info (Redis's loadDataFromDisk). A
     * replica takes the id and offset as its own and caches itself as master, so its first PSYNC
     * asks to continue; a master keeps them as its secondary id, so replicas of the previous run
     * continue from the file's offset with an empty backlog.
     */
    public void restoreFromRdb(final String replid, final long offset, final boolean asReplica) {
        if (!ReplicationIds.isValid(replid) || offset < 0) {
            return;
        }
        if (asReplica) {
            ids.replid(replid);
            masterReplOffset = offset;
            cachedMaster = true;
        } else {
            ids.replid(replid);
            ids.shift(offset);
            masterReplOffset = offset;
            createBacklog();
        }
    }

    /** The repl-id, repl-offset and repl-stream-db aux fields of a save. */
    public record SaveInfo(String replid, long offset, int streamDb) {
    }

    /** CONFIG SET repl-backlog-size. */
    public void backlogSize(final long sizeBytes) {
        settings.backlogSizeBytes = sizeBytes;
        if (backlog != null) {
            backlog.resize(sizeBytes);
        }
    }

    /**
     * Starts a snapshot for every replica waiting for one (Redis's startBgsaveForReplication):
     * streamed when diskless sync is on and all of them understand the EOF mark, else via the file.
     */
    private void startFullSync() {
        flushStream();
        final List<ReplicaSession> waiting = new ArrayList<>();
        boolean allEof = true;
        for (final ReplicaSession s : replicas.all()) {
            if (s.state() == ReplicaSessionState.WAIT_BGSAVE_START) {
                waiting.add(s);
                allEof &= s.capaEof();
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        final boolean socketTarget = settings.disklessSync && allEof;
        final RdbStream rdb;
        try {
            rdb = host.openSnapshot(ids.replid(), masterReplOffset, Math.max(streamDb, 0));
        } catch (IllegalStateException busy) {
            // retried at every tick until the other snapshot ends: logged below notice to keep the log readable
            log.verbose("No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed");
            return;
        }
        log.notice("Starting BGSAVE for SYNC with target: " + (socketTarget ? "replicas sockets" : "disk"));
        if (rdb == null) {
            log.warning("BGSAVE for replication failed");
            for (final ReplicaSession s : waiting) {
                replicas.remove(s, nowMs);
                s.channel().write(host.alloc().buffer().writeBytes(BGSAVE_FAILED));
                s.channel().closeAfterWrites();
            }
            return;
        }
        final byte[] mark = ReplicationIds.randomId().getBytes(StandardCharsets.US_ASCII);
        final long offset = masterReplOffset;
        // the stream after this offset is held for them, and starts with a SELECT
        streamDb = -1;
        for (final ReplicaSession s : waiting) {
            s.psyncInitialOffset(offset);
            s.state(ReplicaSessionState.WAIT_BGSAVE_END, nowMs);
            if (!s.prePsync()) {
                final byte[] line = ("+FULLRESYNC " + ids.replid() + " " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII);
                s.channel().write(host.alloc().buffer(line.length).writeBytes(line));
            }
        }
        fullSync = new FullSync(socketTarget, rdb, waiting, mark, Path.of(settings.dir).resolve(settings.dbfilename),
            host.alloc(), log, this::transferDone);
        try {
            fullSync.begin();
        } catch (IOException e) {
            failFullSync(e);
            return;
        }
        if (!socketTarget) {
            log.notice("Background saving started");
        }
        schedulePump();
    }

    private void transferDone(final ReplicaSession s, final boolean streamed) {
        flushStream();
        if (s.rdbOnly()) {
            log.notice("Close the connection with replica " + s.name() + " as RDB transfer is complete");
            replicas.remove(s, nowMs);
            s.channel().closeAfterWrites();
            return;
        }
        s.state(ReplicaSessionState.ONLINE, nowMs);
        s.ackTime(nowMs);
        if (streamed) {
            s.startStreamOnAck(true);
        } else {
            s.release();
        }
        log.notice("Synchronization with replica " + s.name() + " succeeded");
    }

    private void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            host.execute(this::pump);
        }
    }

    /** One step of the snapshot transfer; re-scheduled while the sockets take more. */
    private void pump() {
        pumpScheduled = false;
        flushStream();
        if (fullSync == null) {
            return;
        }
        try {
            if (fullSync.pump()) {
                schedulePump();
            }
        } catch (IOException e) {
            failFullSync(e);
            return;
        }
        if (fullSync.finished()) {
            fullSync = null;
            // replicas that arrived meanwhile get the next snapshot
            startPendingIfDue();
        }
    }

    /** A replica socket drained below its low mark: the transfer may go on. */
    public void onWritable() {
        if (fullSync != null) {
            schedulePump();
        }
    }

    private void failFullSync(final IOException e) {
        log.warning("Background transfer error: " + e.getMessage());
        final FullSync failed = fullSync;
        fullSync = null;
        failed.abort();
        for (final ReplicaSession s : new ArrayList<>(replicas.all())) {
            if (s.state() != ReplicaSessionState.ONLINE && s.state() != ReplicaSessionState.WAIT_BGSAVE_START) {
                replicas.remove(s, nowMs);
                s.channel().close();
            }
        }
    }

    /** A replica connection closed. */
    public void detach(final ReplicaSession s, final long now) {
        nowMs = now;
        flushStream();
        if (replicas.remove(s, now)) {
            log.notice("Connection with replica " + s.name() + " lost.");
            if (fullSync != null) {
                fullSync.forget(s);
            }
        }
    }

    /** REPLCONF ACK from an attached replica. */
    public void ack(final ReplicaSession s, final long offset, final long now) {
        nowMs = now;
        flushStream();
        replicas.ack(s, offset, now);
        if (failover.state() == FailoverState.WAIT_FOR_SYNC) {
            // after this turn, as Redis's beforeSleep: the hand-off changes our role under the ACK's handler
            host.execute(() -> failover.doWork(masterReplOffset, nowMs));
        }
    }

    /** WAIT: how many replicas acknowledged {@code offset}. */
    public int countAcks(final long offset) {
        return replicas.countAcks(offset);
    }

    /** Online replicas that acknowledged within the last {@code windowMs}. */
    public int responsiveReplicas(final long nowMs, final long windowMs) {
        return replicas.responsive(nowMs, windowMs);
    }

    /** min-replicas-to-write: whether a write must be refused now (Redis's !checkGoodReplicasStatus()). */
    public boolean refusesWrites(final long now) {
        return link == null && settings.minReplicasToWrite > 0 && settings.minReplicasMaxLagSeconds > 0
            && replicas.goodReplicas(now) < settings.minReplicasToWrite;
    }

    // ---- role changes ----------------------------------------------------------------------

    /**
     * REPLICAOF host port (Redis's replicationSetMaster).
     *
     * @return false when already the replica of that master (nothing done)
     */
    public boolean replicaOf(final String masterHost, final int masterPort, final Path tempDir, final long now) {
        nowMs = now;
        flushStream();
        if (link != null && link.host().equalsIgnoreCase(masterHost) && link.port() == masterPort) {
            log.notice("REPLICAOF would result into synchronization with the master we are already connected "
                + "with. No operation performed.");
            return false;
        }
        attach(masterHost, masterPort, tempDir, now, link == null);
        return true;
    }

    /**
     * replicaof in the configuration: a replica from the start. Unlike REPLICAOF at run time, there
     * is no history of our own to offer (PSYNC ? -1), as Redis synthesizes a cached master at
     * start-up only from the replication info of a loaded RDB.
     */
    public void startAsReplica(final String masterHost, final int masterPort, final Path tempDir, final long now) {
        nowMs = now;
        attach(masterHost, masterPort, tempDir, now, false);
    }

    private void attach(final String masterHost, final int masterPort, final Path tempDir, final long now,
                        final boolean wasMaster) {
        if (link != null) {
            link.stop();
        }
        host.masterChanged(masterHost, masterPort);
        if (wasMaster) {
            // our own history may continue at the new master (a demoted master rejoining): cache ourselves
            cachedMaster = true;
            log.notice("Before turning into a replica, using my own master parameters to synthesize a cached "
                + "master: I may be able to synchronize with the new master with just a partial transfer.");
        }
        link = new ReplicaLink(settings, log, host.connector(), this, masterHost, masterPort, tempDir, host::nowMs);
        link.start(now);
    }

    /** The process is exiting: the link to our master closes for good, without a reconnect. */
    public void shutdown() {
        if (link != null) {
            link.stop();
        }
    }

    /** REPLICAOF NO ONE (Redis's replicationUnsetMaster). */
    public void promote(final long now) {
        nowMs = now;
        flushStream();
        if (link == null) {
            return;
        }
        link.stop();
        link = null;
        host.masterChanged(null, 0);
        cachedMaster = false;
        ids.shift(masterReplOffset);
        log.notice("Setting secondary replication ID to " + ids.replid2() + ", valid up to offset: "
            + ids.secondReplOffset() + ". New replication ID is " + ids.replid());
        replicas.disconnectAll(now);
        streamDb = -1;
        replicas.noReplicasSince(now);
    }

    /**
     * PSYNC replid offset FAILOVER from our master handing over to us (Redis's syncCommand): we
     * become a master when the request continues our own history; the PSYNC then proceeds as any
     * other, and continues partially since our replid2 is now the id the old master asks for.
     *
     * @return null when promoted, else the error to reply
     */
    public String failoverRequest(final String replid, final long now) {
        log.warning("Failover request received for replid " + replid + ".");
        if (link == null) {
            return "ERR PSYNC FAILOVER can't be sent to a master.";
        }
        if (!replid.equalsIgnoreCase(ids.replid())) {
            return "ERR PSYNC FAILOVER replid must match my replid.";
        }
        promote(now);
        return null;
    }

    /** What the failover does to this server; its hand-off is the REPLICAOF machinery. */
    private final class FailoverActions implements Failover.Actions {
        @Override
        public void pauseWrites(final boolean paused) {
            host.failoverPause(paused);
        }

        @Override
        public void demoteTo(final String targetHost, final int targetPort) {
            replicaOf(targetHost, targetPort, Path.of(settings.dir), nowMs);
        }

        @Override
        public void undoDemotion() {
            promote(nowMs);
        }
    }

    // ---- ReplicaLink.Listener --------------------------------------------------------------

    @Override
    public String cachedReplid() {
        return cachedMaster ? ids.replid() : null;
    }

    @Override
    public long cachedOffset() {
        return masterReplOffset;
    }

    @Override
    public boolean psyncFailover() {
        return failover.inProgress();
    }

    @Override
    public boolean onPsyncReply(final boolean accepted) {
        return failover.onPsyncReply(accepted);
    }

    @Override
    public String loadRdb(final Path file, final String replid, final long offset) {
        flushStream();
        attachToNewMaster();
        log.notice("MASTER <-> REPLICA sync: Flushing old data");
        log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        final String error = host.loadRdb(file);
        if (error != null) {
            log.warning(error);
            return "Failed trying to load the MASTER synchronization DB from disk, check server logs.";
        }
        adoptMaster(replid, offset);
        return null;
    }

    /**
     * Redis's replicationAttachToNewMaster: the cached master, our replicas and our backlog belong
     * to the history the full sync replaces.
     */
    private void attachToNewMaster() {
        if (cachedMaster) {
            log.notice("Discarding previously cached master state.");
            cachedMaster = false;
        }
        replicas.disconnectAll(nowMs);
        if (fullSync != null) {
            fullSync.abort();
            fullSync = null;
        }
        backlog = null;
    }

    /** After a full sync: the master's id and offset are ours, a new history starts with a new backlog. */
    private void adoptMaster(final String replid, final long offset) {
        ids.replid(replid);
        ids.clearSecond();
        masterReplOffset = offset;
        createBacklog();
        host.resetMasterClient();
    }

    /** Redis's useDisklessLoad(): swapdb always, on-empty-db only when no database holds a key. */
    @Override
    public boolean disklessLoad() {
        return switch (settings.disklessLoad) {
            case "swapdb" -> true;
            case "on-empty-db" -> host.datasetEmpty();
            default -> false;
        };
    }

    /**
     * The diskless branch of Redis's readSyncBulkPayload, up to the parse. swapdb parses into a
     * dataset apart and keeps the current one until the load succeeded; when the master's id is
     * ours (a full sync within the same history) the old data goes on serving reads (async
     * loading), else commands get -LOADING. on-empty-db (only ever chosen with no key) attaches to
     * the new master at once and loads with -LOADING.
     */
    @Override
    public DisklessLoad.Parser beginDisklessLoad(final String replid, final long size) {
        flushStream();
        loadSwap = "swapdb".equals(settings.disklessLoad);
        final boolean async = loadSwap && replid.equals(ids.replid());
        if (!loadSwap) {
            attachToNewMaster();
            log.notice("MASTER <-> REPLICA sync: Flushing old data");
        }
        log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        host.loading(true, async, size);
        return host::parseRdb;
    }

    @Override
    public boolean endDisklessLoad(final Object parsed, final String error, final String replid, final long offset) {
        flushStream();
        host.loading(false, false, 0);
        if (parsed == null) {
            if (error != null) {
                log.warning(error);
            }
            log.warning("Failed trying to load the MASTER synchronization DB from socket, check server logs.");
            if (loadSwap) {
                log.notice("MASTER <-> REPLICA sync: Discarding temporary DB in background");
            }
            // on-empty-db: the dataset was empty and the parse filled a dataset apart, so it stays empty
            return false;
        }
        if (loadSwap) {
            attachToNewMaster();
            log.notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
            host.installRdb(parsed);
            log.notice("MASTER <-> REPLICA sync: Discarding old DB in background");
        } else {
            host.installRdb(parsed);
        }
        adoptMaster(replid, offset);
        return true;
    }

    @Override
    public void execute(final Runnable task) {
        host.execute(task);
    }

    @Override
    public void onContinue(final String newReplid) {
        flushStream();
        if (newReplid != null) {
            ids.shiftTo(newReplid, masterReplOffset);
            // our replicas must learn the new id: they reconnect and continue partially
            replicas.disconnectAll(nowMs);
        }
        if (backlog == null) {
            createBacklog();
        }
    }

    @Override
    public MasterStream openStream(final long offset) {
        final MasterStream stream = new MasterStream(offset, host.masterApplier(), this::forward);
        host.masterLinkUp(link == null ? null : link.connection());
        return stream;
    }

    @Override
    public void onLinkLost(final MasterStream stream) {
        cachedMaster = true;
        host.masterLinkDown();
        host.discardMasterTransaction();
    }

    // ---- cron --------------------------------------------------------------------------------

    /** Redis's replicationCron, run about ten times a second; each duty keeps its own period. */
    public void tick(final long now) {
        nowMs = now;
        flushStream();
        failover.doWork(masterReplOffset, now);
        if (link != null) {
            link.tick(now);
        }
        if (link == null && !replicas.isEmpty() && failover.state() == FailoverState.NO_FAILOVER
            && !host.clientWritesPaused() && now - lastPingMs >= settings.pingPeriodSeconds * 1000) {
            lastPingMs = now;
            propagate(-1, PING);
        }
        if (now - lastReplicaCronMs >= 1000) {
            lastReplicaCronMs = now;
            replicas.cron(now, fullSync != null && !fullSync.socketTarget() && fullSync.producing(), NEWLINE);
        }
        replicas.enforceOutputLimits(now);
        expireBacklog(now);
        startPendingIfDue();
        if (fullSync != null) {
            schedulePump();
        }
    }

    private void expireBacklog(final long now) {
        if (link == null && backlog != null && replicas.isEmpty() && settings.backlogTtlSeconds > 0
            && now - replicas.noReplicasSinceMs() > settings.backlogTtlSeconds * 1000) {
            ids.change();
            ids.clearSecond();
            backlog = null;
            log.notice("Replication backlog freed after " + settings.backlogTtlSeconds
                + " seconds without connected replicas.");
        }
    }

    /** Starts the snapshot replicas wait for once the diskless delay (or max replicas) allows. */
    private void startPendingIfDue() {
        if (fullSync != null) {
            return;
        }
        int waiting = 0;
        long longestWaitMs = 0;
        for (final ReplicaSession s : replicas.all()) {
            if (s.state() == ReplicaSessionState.WAIT_BGSAVE_START) {
                waiting++;
                longestWaitMs = Math.max(longestWaitMs, nowMs - s.waitStartMs());
            }
        }
        if (waiting == 0) {
            return;
        }
        if (!settings.disklessSync
            || (settings.disklessSyncMaxReplicas > 0 && waiting >= settings.disklessSyncMaxReplicas)
            || longestWaitMs >= settings.disklessSyncDelaySeconds * 1000) {
            startFullSync();
        }
    }
}
