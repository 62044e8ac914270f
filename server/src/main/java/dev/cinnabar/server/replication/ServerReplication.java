package dev.cinnabar.server.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.replication.Replication;
import dev.cinnabar.replication.ReplicationHost;
import dev.cinnabar.replication.ReplicationLog;
import dev.cinnabar.replication.ReplicationSettings;
import dev.cinnabar.replication.fence.MasterFence;
import dev.cinnabar.replication.master.PsyncDecision;
import dev.cinnabar.replication.master.RdbStream;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.replication.replica.MasterConnection;
import dev.cinnabar.replication.replica.MasterStream;
import dev.cinnabar.replication.replica.ReplicaLink;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.dispatch.Propagator;
import dev.cinnabar.server.info.InfoWriter;
import dev.cinnabar.server.multi.MultiState;
import dev.cinnabar.server.net.ClientPause;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.persistence.Persistence;
import dev.cinnabar.server.persistence.RdbFiles;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbAux;
import dev.cinnabar.storage.rdb.RdbLoadResult;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * The server side of replication: wires {@link Replication} to the keyspace, the dispatcher, client
 * connections and the loop. It receives every propagated write, turns SYNC/PSYNC clients into
 * replica connections, runs the master's stream through a {@link MasterClient}, answers the
 * dispatcher's READONLY / NOREPLICAS / MASTERDOWN checks, and runs the replication cron.
 *
 * <p>Everything here runs on the keyspace loop.
 */
public final class ServerReplication {
    /** Redis's shared.masterdownerr. */
    static final String MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    private static final long TICK_MS = 100;
    /** Redis sentinels name their command connection sentinel-&lt;first 8 of run id&gt;-cmd, and hello on this channel. */
    private static final String SENTINEL_PREFIX = "sentinel-";
    private static final String SENTINEL_CMD_SUFFIX = "-cmd";
    private static final String HELLO_CHANNEL = "__sentinel__:hello";
    /**
     * For this long after a master that took writes became a replica, a client that writes to it is
     * disconnected after its READONLY. Such a client most likely still takes this node for the
     * master: a sentinel-aware pool that connected here after the failover's CLIENT KILL but before
     * it heard +switch-master. JedisSentinelPool keeps a connection that answered only an error,
     * and once the pool has switched it even passes the pool's address check (the pool's connections
     * share one address, updated in place), so without the disconnection it writes here for good.
     */
    static final long DEMOTED_WRITERS_MS = 60_000;

    /** What a connection told with REPLCONF before its SYNC/PSYNC. */
    static final class Handshake {
        int listeningPort;
        String ip;
        boolean capaEof;
        boolean capaPsync2;
        boolean rdbOnly;
    }

    private final Server server;
    private final ReplicationSettings settings = new ReplicationSettings();
    private final ReplicationConfig config;
    private final Replication replication;
    private final MasterClient masterClient;
    private final MasterFence fence;
    private final Map<ClientSession, Handshake> handshakes = new HashMap<>();
    private final Map<ClientSession, ReplicaSession> replicaSessions = new HashMap<>();
    private final WaitingClients waiting;
    private final HeldReplies held;
    /** Per client, the offset after its last propagated write; a holder per client, so no boxing per write. */
    private final Map<ClientSession, long[]> writeOffsets = new HashMap<>();
    /**
     * The client whose command the dispatcher is running: propagation happens after the handler
     * returned, when the server no longer names a current client. A blocked command served later is
     * credited to the client whose command woke it (WAIT then waits for a little more).
     */
    private ClientSession writer;
    /** Whether this node took a client's write since it last became master. */
    private boolean wroteAsMaster;
    private boolean replicaRole;
    /** Until when writers are disconnected after READONLY ({@link #DEMOTED_WRITERS_MS}). */
    private long demotedUntilMs = Long.MIN_VALUE;
    private final CommandSpec execSpec;
    private EventLoop loop;
    private MasterConnection.Connector connector;
    private int loadedStreamDb;

    public ServerReplication(final Server server) {
        this.server = server;
        this.config = new ReplicationConfig(server, settings);
        config.refresh();
        settings.backlogSizeBytes = config.backlogSize();
        this.replication = new Replication(settings, new Log(), new Host(), server.clock());
        this.masterClient = new MasterClient(server);
        this.fence = new MasterFence(() -> System.nanoTime() / 1_000_000, settings.masterLeaseMs, settings.startFencedMs);
        fence.onTransition((from, to) -> {
            final String line = "Master fence " + from.infoName() + " -> " + to.infoName()
                + (to.writable() ? ": writes accepted" : ": writes refused");
            if (to.writable()) {
                ServerLog.notice(line);
            } else {
                ServerLog.warning(line);
            }
        });
        this.waiting = new WaitingClients(server, this);
        this.held = new HeldReplies(server, this);
        this.execSpec = server.commandTable().lookup("exec");
        server.propagator().addSink(new StreamSink());
    }

    /** Every write the server propagates goes into the stream. */
    private final class StreamSink implements Propagator.Sink {
        @Override
        public void propagate(final int dbId, final byte[][] argv) {
            final long before = replication.masterReplOffset();
            replication.propagate(dbId, argv);
            wrote(before);
        }

        @Override
        public void propagate(final int dbId, final Args args) {
            final long before = replication.masterReplOffset();
            replication.propagate(dbId, args);
            wrote(before);
        }

        @Override
        public boolean accepting() {
            return replication.accepting();
        }
    }

    /**
     * A write was propagated from offset {@code before}: the offset it reached is remembered as the
     * writing client's (Redis's c->woff), so its WAIT waits for its own writes only.
     */
    private void wrote(final long before) {
        final ClientSession current = server.currentClient();
        if (settings.syncReplicas > 0 && current != null && current != masterClient.session()
            && replication.masterReplOffset() != before && !server.propagator().forcedOnly()) {
            current.replyAfterOffset(replication.masterReplOffset());
        }
        if (writer != null && replication.masterReplOffset() != before) {
            long[] woff = writeOffsets.get(writer);
            if (woff == null) {
                woff = new long[1];
                writeOffsets.put(writer, woff);
                final ClientSession c = writer;
                if (c.channel() != null) {
                    c.channel().closeFuture().addListener(f -> writeOffsets.remove(c));
                }
            }
            woff[0] = replication.masterReplOffset();
        }
    }

    /** The offset right after the last write {@code c} propagated, 0 if none (what its WAIT waits for). */
    long writeOffset(final ClientSession c) {
        final long[] woff = writeOffsets.get(c);
        return woff == null ? 0 : woff[0];
    }

    public Replication state() {
        return replication;
    }

    public ReplicationSettings settings() {
        config.refreshIfChanged();
        return settings;
    }

    WaitingClients waiting() {
        return waiting;
    }

    /** Whether {@code c}'s replies wait for the replicas now (cinnabar-sync-replicas). */
    public boolean holdsReply(final ClientSession c) {
        return held.holds(c);
    }

    /** Starts the replication cron on the loop, and the link when replicaof was configured. */
    public void start(final EventLoop keyspaceLoop) {
        this.loop = keyspaceLoop;
        loop.execute(() -> {
            config.refresh();
            final String replicaof = server.configTable().find("replicaof").value();
            restoreFromStartupLoad(!replicaof.isEmpty());
            fence.started(replicaof.isEmpty());
            if (!replicaof.isEmpty()) {
                final String[] hp = replicaof.split(" ");
                replication.startAsReplica(hp[0], Integer.parseInt(hp[1]), Path.of(server.config().dir), server.clock());
            }
            scheduleTick();
        });
    }

    /** The replication info of the RDB loaded at start-up, if it carried any (Redis's loadDataFromDisk). */
    private void restoreFromStartupLoad(final boolean asReplica) {
        final RdbLoadResult r = server.persistence() == null ? null : server.persistence().startupLoad();
        if (r == null || r.replId() == null || r.replOffset() < 0 || r.replStreamDb() < 0) {
            return;
        }
        replication.restoreFromRdb(r.replId(), r.replOffset(), asReplica);
        if (asReplica) {
            masterClient.select(r.replStreamDb() < server.keyspace().databases() ? r.replStreamDb() : 0);
        }
        ServerLog.notice(asReplica
            ? "Using the replication info of the RDB file to continue as replica: id " + r.replId() + ", offset " + r.replOffset()
            : "Replication info of the RDB file kept for replicas' partial resync: id " + r.replId() + ", offset " + r.replOffset());
    }

    /** Redis's rdbPopulateSaveInfo: what a save taken now records of replication, or null. */
    public Replication.SaveInfo saveInfo() {
        return replication.saveInfo(masterClient.session().dbIndex());
    }

    private void scheduleTick() {
        loop.schedule(() -> {
            try {
                tick();
            } finally {
                scheduleTick();
            }
        }, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        server.refreshClock();
        config.refresh();
        if (settings.backlogSizeBytes != config.backlogSize()) {
            replication.backlogSize(config.backlogSize());
        }
        replication.tick(server.clock());
        waiting.tick();
        held.tick();
        fence.configure(settings.masterLeaseMs, settings.startFencedMs);
        fence.tick();
    }

    // ---- dispatcher checks ---------------------------------------------------------------------

    /**
     * The write refusals of Redis's processCommand, in its order: NOREPLICAS (min-replicas-to-write
     * on a master), then READONLY (a read-only replica); the master's own stream is never refused.
     * Returns null or the error text.
     */
    public String writeRefusal(final ClientSession c, final CommandSpec spec) {
        writer = c;
        if (!isWrite(c, spec) || c == masterClient.session()) {
            return null;
        }
        config.refreshIfChanged();
        if (!replication.isReplica()) {
            fence.configure(settings.masterLeaseMs, settings.startFencedMs); // a CONFIG SET applies to the next write
            if (!fence.allowsWrites()) {
                // and the connection closes after the error: a pooled client (JedisSentinelPool) keeps a
                // connection that only answered an error, and would come back to this master for ever
                c.closeAfterReply();
                return fence.refusal();
            }
            if (replication.refusesWrites(server.clock())) {
                return Errors.NOREPLICAS;
            }
            wroteAsMaster = true;
            return null;
        }
        if (!settings.replicaReadOnly) {
            return null;
        }
        if (server.clock() < demotedUntilMs) {
            c.closeAfterReply();
        }
        return Errors.READONLY;
    }

    /**
     * Every command a master runs passes here before the write checks: commands on a sentinel's
     * command connection extend the lease, and its hellos ({@code PUBLISH __sentinel__:hello}) say
     * whom it calls the master. One prefix comparison for everybody else.
     */
    public void observe(final ClientSession c, final CommandSpec spec, final Args args) {
        final String name = c.name();
        if (!name.startsWith(SENTINEL_PREFIX) || !name.endsWith(SENTINEL_CMD_SUFFIX) || replication.isReplica()) {
            return;
        }
        final String id8 = name.substring(SENTINEL_PREFIX.length(), name.length() - SENTINEL_CMD_SUFFIX.length());
        if (args.count() == 3 && spec.name().equals("publish") && args.string(1).equals(HELLO_CHANNEL)) {
            // ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch
            final String[] f = args.string(2).split(",");
            if (f.length == 8 && f[2].startsWith(id8)) {
                try {
                    fence.hello(f[2], namesMe(c, f[5], Integer.parseInt(f[6])), Long.parseLong(f[7]));
                } catch (NumberFormatException e) {
                    // not a hello: nothing learnt
                }
            }
        }
        fence.contact(id8);
    }

    /** Whether a hello's master address is this server: the address the sentinel reached us on, or the announced one. */
    private boolean namesMe(final ClientSession c, final String ip, final int port) {
        final String announceIp = settings.announceIp;
        final boolean portOk = port == server.boundPort() || port == settings.announcedPort();
        if (!portOk) {
            return false;
        }
        final String laddr = c.laddr();
        final int colon = laddr.lastIndexOf(':');
        final String localIp = colon < 0 ? laddr : laddr.substring(0, colon);
        return ip.equals(localIp) || (!announceIp.isEmpty() && ip.equalsIgnoreCase(announceIp));
    }

    /** The master's fence (INFO, tests). */
    public MasterFence fence() {
        return fence;
    }

    /** A write, or an EXEC whose queue holds one (Redis's is_write_command). */
    public boolean isWrite(final ClientSession c, final CommandSpec spec) {
        if (spec.has(CommandFlag.WRITE)) {
            return true;
        }
        return spec == execSpec && anyQueued(c.multi(), true);
    }

    private static boolean anyQueued(final MultiState m, final boolean write) {
        for (final MultiState.Queued q : m.queued()) {
            if (write ? q.spec().has(CommandFlag.WRITE) : !q.spec().has(CommandFlag.STALE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * replica-serve-stale-data no: while the link is down only commands flagged STALE run (an EXEC
     * only if everything it queued is). Returns null or the error text.
     */
    public String staleRefusal(final ClientSession c, final CommandSpec spec) {
        if (!replication.isReplica() || replication.linkUp() || c == masterClient.session()) {
            return null;
        }
        config.refreshIfChanged();
        if (settings.replicaServeStaleData) {
            return null;
        }
        final boolean denied = !spec.has(CommandFlag.STALE) || (spec == execSpec && anyQueued(c.multi(), false));
        return denied ? MASTERDOWN : null;
    }

    // ---- commands ----------------------------------------------------------------------------------

    /** The client applying our master's stream (never refused a write). */
    public boolean isMasterClient(final ClientSession c) {
        return c == masterClient.session();
    }

    ReplicaSession replicaSession(final ClientSession c) {
        return replicaSessions.get(c);
    }

    /** REPLCONF options before SYNC/PSYNC are kept per connection until then (or until it closes). */
    Handshake handshake(final ClientSession c) {
        Handshake h = handshakes.get(c);
        if (h == null) {
            h = new Handshake();
            handshakes.put(c, h);
            if (c.channel() != null) {
                c.channel().closeFuture().addListener(f -> handshakes.remove(c));
            }
        }
        return h;
    }

    /**
     * SYNC / PSYNC: the connection becomes a replica connection. Returns null, or an error to reply
     * (nothing else may be written to it then).
     */
    String sync(final ClientSession c, final String replid, final long psyncOffset) {
        final Channel ch = c.channel();
        if (ch == null) {
            return "ERR replication needs a network connection";
        }
        if (!replication.isReplica() && !fence.allowsSync()) {
            if (replid != null && !replid.startsWith("?") && PsyncDecision.decide(replication.ids(), replication.backlog(),
                replication.masterReplOffset(), replid, psyncOffset, c.addr()) instanceof PsyncDecision.FullResync) {
                fence.replicaDiverged();
            }
            return "NOMASTERLINK Can't SYNC while this master is fenced at start-up (waiting for its sentinels)";
        }
        final Handshake h = handshakes.containsKey(c) ? handshakes.remove(c) : new Handshake();
        final String peer = c.addr().isEmpty() ? "?" : c.addr().substring(0, c.addr().lastIndexOf(':'));
        final ReplicaChannelHandler handler = new ReplicaChannelHandler(ch, replication::onWritable);
        // next to the session, not at the head: a TLS connection's SslHandler sits between it and the socket
        ch.pipeline().addBefore(ch.pipeline().context(c).name(), null, handler);
        final ReplicaSession s = new ReplicaSession(c.id(), handler, peer, h.ip, h.listeningPort, h.capaEof,
            h.capaPsync2, replid == null, h.rdbOnly);
        final String error = replication.sync(s, replid, psyncOffset, server.clock());
        if (error != null) {
            ch.pipeline().remove(handler);
            return error;
        }
        replicaSessions.put(c, s);
        c.markReplica();
        ch.closeFuture().addListener(f -> {
            server.refreshClock();
            replicaSessions.remove(c);
            replication.detach(s, server.clock());
        });
        return null;
    }

    /** REPLCONF ACK from a replica connection. */
    void ack(final ReplicaSession s, final long offset) {
        replication.ack(s, offset, server.clock());
        waiting.acked();
        held.acked();
    }

    /** REPLCONF GETACK from our master: answer with the applied offset, through the link. */
    void getack() {
        if (replication.link() != null) {
            replication.link().sendAck();
        }
    }

    /**
     * REPLICAOF host port.
     *
     * @return false when already replicating that master
     */
    boolean replicaOf(final String host, final int port) {
        config.refresh();
        return replication.replicaOf(host, port, Path.of(server.config().dir), server.clock());
    }

    /** REPLICAOF NO ONE. */
    void promote() {
        replication.promote(server.clock());
        fence.roleChanged(); // also lifts the start fence of a master: an explicit "you are the master"
    }

    /** FAILOVER with parsed arguments ({@code host} null without TO): null when started, else the error. */
    String failover(final String host, final long port, final long timeoutMs, final boolean force) {
        return replication.failover().start(host, port, timeoutMs, force, replication.isReplica(), server.clock());
    }

    /** INFO replication. */
    public void info(final InfoWriter w) {
        ReplicationInfo.info(this, w, server.clock());
    }

    /** The link's master client, for tests and CLIENT-like introspection. */
    ClientSession masterSession() {
        return masterClient.session();
    }

    EventLoop loop() {
        return loop != null ? loop : server.net().keyspaceLoop();
    }

    /** A diskless load's dataset, parsed apart from the live one. */
    private record Parsed(Keyspace keyspace, RdbLoadResult result) {
    }

    /** Log lines go to the server log with Redis's levels. */
    private static final class Log implements ReplicationLog {
        @Override
        public void verbose(final String message) {
            ServerLog.verbose(message);
        }

        @Override
        public void notice(final String message) {
            ServerLog.notice(message);
        }

        @Override
        public void warning(final String message) {
            ServerLog.warning(message);
        }
    }

    /** The dataset, the loop and the network, as replication sees them. */
    private final class Host implements ReplicationHost {
        @Override
        public void masterChanged(final String masterHost, final int masterPort) {
            fence.roleChanged();
            final boolean replica = masterHost != null;
            if (replica && !replicaRole && wroteAsMaster) {
                demotedUntilMs = server.clock() + DEMOTED_WRITERS_MS;
            }
            if (!replica) {
                wroteAsMaster = false;
                demotedUntilMs = Long.MIN_VALUE;
            }
            replicaRole = replica;
            server.keyspace().replicaMode(masterHost != null);
            ServerLog.role(masterHost != null ? 'S' : 'M');
            // CONFIG GET and CONFIG REWRITE report the current master, as Redis's replicaof option does
            server.configTable().find("replicaof").set(masterHost != null ? masterHost + " " + masterPort : "");
        }

        @Override
        public boolean clientWritesPaused() {
            final ClientPause p = server.pause();
            return p.mode() != ClientPause.Mode.OFF && server.clock() < p.endMs();
        }

        @Override
        public void failoverPause(final boolean paused) {
            server.pause().failoverPause(paused);
            if (!paused) {
                loop().execute(() -> {
                    server.refreshClock();
                    server.pause().resumeHeld();
                });
            }
        }

        @Override
        public String loadRdb(final Path file) {
            final Keyspace ks = server.keyspace();
            final Path target = RdbFiles.dumpFile(server);
            try {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                return "Failed trying to rename the temp DB into " + target.getFileName()
                    + " in MASTER <-> REPLICA synchronization: " + e.getMessage();
            }
            ks.events().flushed(-1);
            ks.flushAll();
            try {
                final RdbLoadResult r = RdbFiles.load(server, target);
                loadedStreamDb = Math.max(0, r.replStreamDb());
                return null;
            } catch (IOException | RuntimeException e) {
                ks.flushAll();
                return "Short read or OOM loading DB. Unrecoverable error, aborting now. (" + e.getMessage() + ")";
            }
        }

        @Override
        public boolean datasetEmpty() {
            return server.keyspace().totalKeys() == 0;
        }

        @Override
        public void loading(final boolean on, final boolean async, final long totalBytes) {
            if (server.persistence() != null) {
                server.persistence().replicationLoading(on, async, totalBytes);
            }
        }

        /** On the loader thread: a keyspace of its own, with the live one's settings (read only). */
        @Override
        public Object parseRdb(final InputStream in, final long size) throws IOException {
            final Keyspace live = server.keyspace();
            final Keyspace staged = new Keyspace(live.databases());
            staged.settings(live.settings());
            staged.replicaMode(true);
            final long nowMs = System.currentTimeMillis();
            staged.nowMs(nowMs);
            final Persistence p = server.persistence();
            final RdbLoadResult r = RdbFiles.load(server, in, size, staged, nowMs,
                p == null ? null : p::loadingProgress);
            return new Parsed(staged, r);
        }

        /**
         * Redis's swapMainDbWithTempDb: watchers of keys in the old or the new data fail their EXEC,
         * clients blocked on keys the new data holds are served; the old data is left to the GC.
         */
        @Override
        public void installRdb(final Object parsed) {
            final Parsed p = (Parsed) parsed;
            final Keyspace ks = server.keyspace();
            if (server.persistence() != null) {
                server.persistence().killBgsaveBeforeSyncLoad();
                server.persistence().loaded(p.result());
            }
            ks.events().flushed(-1);
            ks.swapContents(p.keyspace());
            for (int i = 0; i < ks.databases(); i++) {
                ks.events().swapped(i, i);
            }
            // no save followed the load, as with a file: the dataset differs from dump.rdb
            ks.dirty++;
            loadedStreamDb = Math.max(0, p.result().replStreamDb());
        }

        @Override
        public MasterStream.Applier masterApplier() {
            return masterClient;
        }

        @Override
        public void resetMasterClient() {
            masterClient.reset();
            masterClient.select(loadedStreamDb < server.keyspace().databases() ? loadedStreamDb : 0);
        }

        @Override
        public void discardMasterTransaction() {
            masterClient.discardTransaction();
        }

        /** Redis's master client is in server.clients: CLIENT LIST/KILL and connected_clients see it. */
        @Override
        public void masterLinkUp(final MasterConnection connection) {
            final ClientSession s = masterClient.session();
            s.attachMasterLink(NettyMasterConnector.channel(connection), () -> {
                final ReplicaLink link = replication.link();
                if (link != null) {
                    link.dropConnected("killed as a client");
                }
            });
            server.register(s);
        }

        @Override
        public void masterLinkDown() {
            final ClientSession s = masterClient.session();
            s.detachMasterLink();
            server.unregister(s);
        }

        @Override
        public RdbStream openSnapshot(final String replid, final long offset, final int streamDb) {
            final Keyspace ks = server.keyspace();
            if (ks.snapshotRunning()) {
                throw new IllegalStateException("a snapshot is already running");
            }
            final RdbAux aux = RdbFiles.aux(server).withReplication(streamDb, replid, offset);
            try {
                return new SnapshotRdbStream(ks, RdbFiles.options(server), aux);
            } catch (IOException e) {
                ServerLog.warning("Can't start the snapshot for replication: " + e.getMessage());
                return null;
            }
        }

        @Override
        public void execute(final Runnable task) {
            loop().execute(() -> {
                server.refreshClock();
                task.run();
            });
        }

        @Override
        public ByteBufAllocator alloc() {
            return PooledByteBufAllocator.DEFAULT;
        }

        @Override
        public long nowMs() {
            server.refreshClock();
            return server.clock();
        }

        @Override
        public MasterConnection.Connector connector() {
            if (connector == null) {
                connector = new NettyMasterConnector(server, loop());
            }
            return connector;
        }
    }
}
