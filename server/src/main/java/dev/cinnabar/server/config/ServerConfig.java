package dev.cinnabar.server.config;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.tls.TlsSettings;
import dev.cinnabar.storage.commands.StorageSettings;

/**
 * The typed configuration the server reads on its hot paths. Fields are written only by the
 * apply hooks of {@link ConfigTable}, never parsed anywhere else.
 */
public final class ServerConfig {
    /** The client classes of client-output-buffer-limit, in Redis's order. */
    public static final String[] CLIENT_CLASSES = {"normal", "slave", "pubsub"};

    public int port;
    public List<String> bind = new ArrayList<>();
    public int databases;
    public int hz;
    public String requirepass = "";
    /** Called with each new requirepass: the ACL makes it the default user's password. */
    public java.util.function.Consumer<String> requirepassApplied = v -> { };
    public boolean protectedMode;
    public int maxclients;
    public long timeoutSeconds;
    public long tcpKeepalive;
    public int tcpBacklog;
    public long clientQueryBufferLimit;
    /** Absolute: Redis chdir()s into dir, we resolve every file against it instead. */
    public String dir = ".";
    public String dbfilename = "dump.rdb";
    public String logfile = "";
    public String loglevel = "notice";
    public boolean daemonize;
    public String pidfile = "";
    public long slowlogLogSlowerThan;
    public long slowlogMaxLen;
    public long latencyMonitorThreshold;
    public String notifyKeyspaceEvents = "";
    /** Notify.* bits of notify-keyspace-events. */
    public int notifyFlags;
    public String latencyTrackingPercentiles = "50 99 99.9";
    public double[] latencyPercentiles = {50, 99, 99.9};
    public boolean latencyTracking = true;
    /** "no", "yes" or "local" (enable-debug-command, enable-module-command, enable-protected-configs). */
    public String enableDebugCommand = "no";
    public String enableModuleCommand = "no";
    public String enableProtectedConfigs = "no";
    /** save points as (seconds, changes) pairs. */
    public List<long[]> saveParams = new ArrayList<>();
    /** stop-writes-on-bgsave-error, rdbcompression, rdbchecksum (read by persistence and full syncs). */
    public boolean stopWritesOnBgsaveError = true;
    public boolean rdbCompression = true;
    public boolean rdbChecksum = true;
    /** rdb-key-save-delay: microseconds a background save spends per key (tests); negative: 1/-n µs. */
    public long rdbKeySaveDelayUs;
    /** key-load-delay: microseconds a load spends per key (tests); negative: 1 µs every -n keys. */
    public volatile long keyLoadDelayUs;
    /** [class][hard, soft, softSeconds] for the classes of {@link #CLIENT_CLASSES}. */
    public final long[][] clientOutputBufferLimits = new long[3][3];
    public long replBacklogSize;
    /** Started with --sentinel (or as cinnabar-sentinel): the sentinel role. */
    public boolean sentinelMode;
    public boolean activeExpireEnabled = true;
    /** Where the config was read from, for CONFIG REWRITE and INFO config_file; null if none. */
    public String configFile;
    /** maxmemory-eviction-tenacity, replica-ignore-maxmemory, lazyfree-lazy-eviction (read by ServerMemory). */
    public int maxmemoryEvictionTenacity = 10;
    public boolean replicaIgnoreMaxmemory = true;
    public boolean lazyfreeLazyEviction;
    public final StorageSettings storage = new StorageSettings();
    /** tls-port (0: no TLS listener) and tls-replication; the other tls-* settings build the contexts. */
    public int tlsPort;
    public boolean tlsReplication;
    public final TlsSettings tls = new TlsSettings();
}
