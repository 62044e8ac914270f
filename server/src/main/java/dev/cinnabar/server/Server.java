package dev.cinnabar.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.server.acl.Acl;
import dev.cinnabar.server.acl.AclCommandIndex;
import dev.cinnabar.server.acl.AclCommands;
import dev.cinnabar.server.acl.UnimplementedRedisCommands;
import dev.cinnabar.server.commands.ClientCommands;
import dev.cinnabar.server.commands.ClusterCommands;
import dev.cinnabar.server.commands.CommandCommands;
import dev.cinnabar.server.commands.ConfigCommands;
import dev.cinnabar.server.commands.ConnectionCommands;
import dev.cinnabar.server.commands.ServerCommands;
import dev.cinnabar.server.config.ConfigTable;
import dev.cinnabar.server.config.ServerConfig;
import dev.cinnabar.server.cron.ServerCron;
import dev.cinnabar.server.dispatch.CommandStats;
import dev.cinnabar.server.dispatch.Dispatcher;
import dev.cinnabar.server.dispatch.SlowLog;
import dev.cinnabar.server.dispatch.Propagator;
import dev.cinnabar.server.info.Info;
import dev.cinnabar.server.info.ServerInfoSections;
import dev.cinnabar.server.memory.ServerMemory;
import dev.cinnabar.server.net.ClientPause;
import dev.cinnabar.server.blocking.BlockedClients;
import dev.cinnabar.server.sentinel.SentinelRole;
import dev.cinnabar.server.tracking.Tracking;
import dev.cinnabar.server.multi.TransactionCommands;
import dev.cinnabar.server.multi.WatchIndex;
import dev.cinnabar.server.pubsub.KeyspaceNotifier;
import dev.cinnabar.server.pubsub.PubSub;
import dev.cinnabar.server.pubsub.PubSubCommands;
import dev.cinnabar.server.persistence.Persistence;
import dev.cinnabar.server.persistence.PersistenceCommands;
import dev.cinnabar.server.replication.ReplicationCommands;
import dev.cinnabar.server.replication.ServerReplication;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.net.NettyServer;
import dev.cinnabar.server.net.ServerTls;
import dev.cinnabar.protocol.tls.TlsSetupException;
import dev.cinnabar.storage.commands.StorageFamilies;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * The server's state, owned by the keyspace loop: configuration, keyspace, command table,
 * clients, statistics, cron. {@link Main} builds it from the command line; tests build it in-JVM.
 */
public final class Server {
    /** How long a signal's shutdown waits for the final save before exiting anyway. */
    private static final long SIGNAL_SAVE_TIMEOUT_MINUTES = 10;
    private final ServerConfig config;
    private final ConfigTable configTable;
    private final Keyspace keyspace;
    private final CommandTable table;
    private final CommandStats commandStats;
    private final SlowLog slowLog = new SlowLog();
    private final Dispatcher dispatcher;
    private final Propagator propagator = new Propagator();
    private final ServerTls tls;
    private final ServerStats stats = new ServerStats();
    private final Set<ClientSession> clients = new LinkedHashSet<>();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final String runId = RunId.random();
    private final long startMs = System.currentTimeMillis();
    private NettyServer net;
    private ServerCron cron;
    private long cachedClockMs = System.currentTimeMillis();
    private final Info info = new Info();
    private final ClientPause pause = new ClientPause();
    private final List<ClientSession> monitors = new ArrayList<>();
    /** A sentinel's master_replid (it replicates nothing); a data node's comes from {@link #replication}. */
    private final String replId = RunId.random();
    /** Replication (role, backlog, replicas, link to the master); null in the sentinel role. */
    private final ServerReplication replication;
    /** RDB persistence; null in the sentinel role. */
    private final Persistence persistence;
    /** SHUTDOWN or a signal began the exit: a later signal must not save again. */
    private volatile boolean shuttingDown;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private Runnable shutdownAction = this::stop;
    private final PubSub pubsub = new PubSub();
    private final WatchIndex watches;
    private final KeyspaceNotifier notifier;
    /** maxmemory: used-memory figure and eviction. */
    private final ServerMemory memory;
    private final BlockedClients blocking = new BlockedClients(this);
    private final Tracking tracking = new Tracking(this);
    private final SentinelRole sentinelRole;
    private final Acl acl;
    private final java.util.Map<Long, ClientSession> clientsById = new java.util.HashMap<>();
    /** The client whose command is running (Redis's server.current_client), or null. */
    private ClientSession currentClient;

    public Server(final ServerConfig config, final ConfigTable configTable) {
        this(config, configTable, null);
    }

    /** A server; with {@code sentinel} set, in the sentinel role (its table and INFO sections). */
    public Server(final ServerConfig config, final ConfigTable configTable, final SentinelRole sentinel) {
        this.config = config;
        this.configTable = configTable;
        this.tls = new ServerTls(config);
        this.keyspace = new Keyspace(config.databases);
        this.watches = new WatchIndex(keyspace);
        keyspace.settings(config.storage);
        this.notifier = new KeyspaceNotifier(pubsub, config);
        keyspace.events(new ServerKeyspaceEvents(this));
        this.sentinelRole = sentinel;
        if (sentinel != null) {
            sentinel.attach(this);
        }
        this.table = sentinel == null ? buildTable() : SentinelRole.table(serverFamilies());
        this.commandStats = new CommandStats(table);
        this.dispatcher = new Dispatcher(this, table, commandStats);
        this.acl = new Acl(this, sentinel == null
            ? new AclCommandIndex(table, UnimplementedRedisCommands.table()) : new AclCommandIndex(table));
        acl.requirepass(config.requirepass);
        config.requirepassApplied = acl::requirepass;
        this.replication = sentinel == null ? new ServerReplication(this) : null;
        this.persistence = sentinel == null ? new Persistence(this) : null;
        this.memory = new ServerMemory(this);
        if (sentinel == null) {
            ServerInfoSections.registerAll(this, info);
        } else {
            ServerInfoSections.registerSentinel(this, info, sentinel::infoSection);
        }
    }

    /** The families of server-side commands, shared by the data node's and the sentinel's tables. */
    private static List<dev.cinnabar.protocol.command.CommandFamily> serverFamilies() {
        return List.of(new ConnectionCommands(), new ClientCommands(), new ConfigCommands(), new CommandCommands(),
            new ServerCommands(), new PubSubCommands(), new TransactionCommands(), new AclCommands());
    }

    /** Every command family of a data node, declared by the families themselves. */
    public static CommandTable buildTable() {
        final CommandTable.Builder b = CommandTable.builder();
        serverFamilies().forEach(b::register);
        b.register(new ReplicationCommands());
        b.register(new PersistenceCommands());
        b.register(new ClusterCommands());
        StorageFamilies.all().forEach(b::register);
        return b.build();
    }

    /**
     * Listens, loads the dump file (a data node; IllegalStateException when it is corrupt), then
     * starts the cron and replication. The load runs on the calling thread while the keyspace loop
     * already serves clients: commands without the loading flag get -LOADING, and nothing else
     * touches the keyspace until the load is over (the cron and replication start after it).
     */
    public void start() throws InterruptedException {
        if (tls.wanted()) {
            try {
                tls.configure();
            } catch (TlsSetupException e) {
                ServerLog.warning(e.getMessage());
                ServerLog.warning("Failed to configure TLS. Check logs for more info.");
                throw new IllegalStateException("TLS configuration failed", e);
            }
        }
        net = new NettyServer(this);
        net.start();
        if (persistence != null) {
            persistence.loadAtStartup();
        }
        cron = new ServerCron(this);
        net.keyspaceLoop().execute(() -> cron.schedule(net.keyspaceLoop()));
        if (replication != null) {
            replication.start(net.keyspaceLoop());
            // load INFO's classes now: a sentinel's first INFO during a failover must not pay for them
            net.keyspaceLoop().execute(() -> info.generate(List.of("everything")));
        }
    }

    /** The sentinel role's start, once listening: load its config and start its timer, on the loop. */
    public void startSentinel() throws Exception {
        final io.netty.channel.EventLoop loop = net.keyspaceLoop();
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> {
            try {
                sentinelRole.create(loop);
                sentinelRole.start(loop);
                done.complete(null);
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** The dataset's load state (start-up load, a replica's diskless load), read once per command. */
    public Persistence.LoadState loadState() {
        return persistence == null ? Persistence.LoadState.NONE : persistence.loadState();
    }

    /** Stops the sentinel role and the network, once: SHUTDOWN's action and the JVM's exit hook both call it. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (sentinelRole != null && net != null) {
            net.keyspaceLoop().execute(sentinelRole::shutdown);
        }
        if (net != null) {
            net.stop();
        }
    }

    /** The sentinel when this server runs in the sentinel role, else null. */
    public dev.cinnabar.sentinel.Sentinel sentinel() {
        return sentinelRole == null ? null : sentinelRole.sentinel();
    }

    /** Called at the start of each read batch: refresh the cached clock (Redis's updateCachedTime). */
    public void beforeCommands() {
        cachedClockMs = System.currentTimeMillis();
        keyspace.nowMs(cachedClockMs);
    }

    public long clock() {
        return cachedClockMs;
    }

    public void refreshClock() {
        beforeCommands();
    }

    public long newClientId() {
        return nextClientId.getAndIncrement();
    }

    public Acl acl() {
        return acl;
    }

    public ServerConfig config() {
        return config;
    }

    public ConfigTable configTable() {
        return configTable;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandTable commandTable() {
        return table;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public CommandStats commandStats() {
        return commandStats;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Propagator propagator() {
        return propagator;
    }

    public ServerStats stats() {
        return stats;
    }

    public Set<ClientSession> clients() {
        return clients;
    }

    public String runId() {
        return runId;
    }

    public long startMs() {
        return startMs;
    }

    public NettyServer net() {
        return net;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    public WatchIndex watches() {
        return watches;
    }

    public Tracking tracking() {
        return tracking;
    }

    /** A connected client becomes known by its id (CLIENT KILL ID, tracking redirection). */
    public void register(final ClientSession c) {
        clients.add(c);
        clientsById.put(c.id(), c);
    }

    public void unregister(final ClientSession c) {
        clients.remove(c);
        clientsById.remove(c.id());
    }

    public ClientSession clientById(final long id) {
        return clientsById.get(id);
    }

    public ClientSession currentClient() {
        return currentClient;
    }

    public void currentClient(final ClientSession c) {
        this.currentClient = c;
    }

    /** Runs once the commands of this loop turn are done (where Redis's beforeSleep work goes). */
    public void runAfterBatch(final Runnable r) {
        if (net != null) {
            net.keyspaceLoop().execute(() -> {
                beforeCommands();
                r.run();
            });
        } else {
            r.run();
        }
    }

    public BlockedClients blocking() {
        return blocking;
    }

    public ServerMemory memory() {
        return memory;
    }

    public KeyspaceNotifier notifier() {
        return notifier;
    }

    public Info info() {
        return info;
    }

    public ClientPause pause() {
        return pause;
    }

    /** Clients in MONITOR mode, fed every executed command. */
    public List<ClientSession> monitors() {
        return monitors;
    }

    public String replId() {
        return replication != null ? replication.state().ids().replid() : replId;
    }

    /** Replication state and wiring; null in the sentinel role. */
    public ServerReplication replication() {
        return replication;
    }

    /** LASTSAVE: the end of the last successful save (the start time before any). */
    public long lastSaveSeconds() {
        return persistence != null ? persistence.lastSave() : startMs / 1000;
    }

    /** RDB persistence; null in the sentinel role. */
    public Persistence persistence() {
        return persistence;
    }

    public ServerCron cron() {
        return cron;
    }

    /** What SHUTDOWN does once clients are closed: stop only (tests) or stop and exit (Main). */
    public void onShutdown(final Runnable action) {
        this.shutdownAction = action;
    }

    /**
     * SHUTDOWN: the final save (see {@link Persistence#prepareForShutdown}), then close every client,
     * stop listening and run the shutdown action. Returns false, changing nothing, when the save
     * failed without FORCE.
     */
    public boolean shutdown(final boolean save, final boolean nosave, final boolean force) {
        ServerLog.warning("User requested shutdown...");
        if (persistence != null && !persistence.prepareForShutdown(save, nosave, force)) {
            return false;
        }
        shuttingDown = true;
        if (replication != null) {
            replication.state().shutdown();
        }
        for (final ClientSession c : new ArrayList<>(clients)) {
            c.closeNow();
        }
        ServerLog.warning("Redis is now ready to exit, bye bye...");
        final Thread t = new Thread(shutdownAction, "cinnabar-shutdown");
        t.start();
        return true;
    }

    /**
     * SIGTERM/SIGINT (the JVM's shutdown hook): unless SHUTDOWN already ran, the final save that
     * shutdown-on-sigterm asks for ("default": when save points are configured), on the loop, then
     * stop. Unlike Redis, a failed save cannot keep the process alive here.
     */
    public void shutdownFromSignal() {
        if (!shuttingDown && persistence != null && net != null) {
            shuttingDown = true;
            ServerLog.warning("Received a shutdown signal, scheduling shutdown...");
            final List<String> flags = List.of(configTable.find("shutdown-on-sigterm").value().split(" "));
            final java.util.concurrent.CompletableFuture<Void> saved = new java.util.concurrent.CompletableFuture<>();
            net.keyspaceLoop().execute(() -> {
                try {
                    persistence.prepareForShutdown(flags.contains("save"), flags.contains("nosave"), true);
                } finally {
                    saved.complete(null);
                }
            });
            try {
                saved.get(SIGNAL_SAVE_TIMEOUT_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                ServerLog.warning("The final save did not complete: " + e);
            }
            ServerLog.warning("Redis is now ready to exit, bye bye...");
        }
        stop();
    }

    /** The port actually bound (differs from config when port 0 asked for an ephemeral one in tests). */
    public int boundPort() {
        return net == null ? config.port : net.boundPort();
    }

    public int boundTlsPort() {
        return net == null ? config.tlsPort : net.boundTlsPort();
    }

    /** INFO's tcp_port and the start-up line: the plain port, or the TLS port when there is none (Redis). */
    public int mainPort() {
        return boundPort() != 0 ? boundPort() : boundTlsPort();
    }

    /** The port replicas announce and sentinels say hello with: the TLS one when tls-replication is on. */
    public int replicationPort() {
        return config.tlsReplication && boundTlsPort() != 0 ? boundTlsPort() : boundPort();
    }

    public ServerTls tls() {
        return tls;
    }
}
