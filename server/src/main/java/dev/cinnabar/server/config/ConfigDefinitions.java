package dev.cinnabar.server.config;

import static dev.cinnabar.server.config.ConfigParam.named;

import java.util.List;

import dev.cinnabar.protocol.tls.TlsSettings;

/**
 * Redis 7.0.15's parameters with their defaults (the names and values `CONFIG GET *` of a real
 * 7.0.15 gives, plus the immutable/protected flags it enforces), each bound to the typed field of
 * {@link ServerConfig} it drives. Add a parameter here and nowhere else.
 *
 * <p>Parameters whose feature is not built yet are declared with their Redis default and keep
 * whatever value they are given (CONFIG GET/SET/REWRITE round-trip them) but change nothing yet:
 * appendonly and the aof-* / appendfsync / auto-aof-* / no-appendfsync-on-rewrite family,
 * rdb-del-sync-files, rdb-save-incremental-fsync, sanitize-dump-payload, repl-* and replica-* / min-replicas-*,
 * masterauth, masteruser, replicaof (read by replication), cluster-*, tls-cluster, acl-pubsub-default,
 * aclfile, acllog-max-len, active-defrag-* / activedefrag, activerehashing, active-expire-effort,
 * dynamic-hz, lazyfree-* (but lazyfree-lazy-eviction), io-threads, io-threads-do-reads,
 * jemalloc-bg-thread, oom-score-adj*, disable-thp, *_cpulist, supervised, syslog-*, set-proc-title,
 * proc-title-template, always-show-logo, crash-*-enabled, busy-reply-threshold, lua-time-limit,
 * shutdown-*, stream-node-*, tracking-table-max-keys, maxmemory-clients,
 * propagation-error-behavior, ignore-warnings, unixsocket, unixsocketperm, socket-mark-id,
 * bind-source-addr, enable-module-command, client-output-buffer-limit.
 */
public final class ConfigDefinitions {
    private static final String[] NO_YES_LOCAL = {"no", "yes", "local"};

    private ConfigDefinitions() {
    }

    public static ConfigTable table(final ServerConfig c) {
        final ConfigTable t = new ConfigTable();
        network(t, c);
        general(t, c);
        persistence(t, c);
        replication(t, c);
        memory(t, c);
        encodings(t, c);
        cluster(t);
        tls(t, c);
        return t;
    }

    private static void network(final ConfigTable t, final ServerConfig c) {
        t.add(named("port").integer(0, 65535, 6379, v -> c.port = v.intValue()));
        t.add(ConfigSpecials.bind(c));
        t.add(named("bind-source-addr").string(""));
        t.add(named("protected-mode").bool(true, v -> c.protectedMode = v));
        t.add(named("tcp-backlog").immutable().integer(0, Integer.MAX_VALUE, 511, v -> c.tcpBacklog = v.intValue()));
        t.add(named("tcp-keepalive").integer(0, Integer.MAX_VALUE, 300, v -> c.tcpKeepalive = v));
        t.add(named("timeout").integer(0, Integer.MAX_VALUE, 0, v -> c.timeoutSeconds = v));
        t.add(named("unixsocket").immutable().string(""));
        t.add(ConfigSpecials.unixsocketperm());
        t.add(named("socket-mark-id").immutable().integer(0, Integer.MAX_VALUE, 0));
        t.add(named("maxclients").integer(1, 4294967295L, 10000, v -> c.maxclients = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("requirepass").rewriteAs(v -> v.isEmpty() ? List.of() : List.of(ConfigParam.quote(v)))
            .string("", v -> {
                c.requirepass = v;
                c.requirepassApplied.accept(v);
            }));
        t.add(named("client-query-buffer-limit").memory(1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
            v -> c.clientQueryBufferLimit = v));
        t.add(named("proto-max-bulk-len").memory(1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024,
            v -> c.storage.protoMaxBulkLen = v));
        t.add(ConfigSpecials.clientOutputBufferLimit(c));
        t.add(named("io-threads").immutable().integer(1, 128, 1));
        t.add(named("io-threads-do-reads").immutable().bool(false));
        t.add(named("acl-pubsub-default").enumOf("resetchannels", "allchannels", "resetchannels"));
        t.add(named("aclfile").immutable().string(""));
        t.add(named("acllog-max-len").integer(0, Long.MAX_VALUE, 128));
        t.add(named("tracking-table-max-keys").integer(0, Long.MAX_VALUE, 1000000));
    }

    private static void general(final ConfigTable t, final ServerConfig c) {
        t.add(named("databases").immutable().integer(1, Integer.MAX_VALUE, 16, v -> c.databases = v.intValue()));
        t.add(named("hz").clamp(1, 500).integer(0, Integer.MAX_VALUE, 10, v -> c.hz = v.intValue()));
        t.add(named("dynamic-hz").bool(true));
        t.add(named("daemonize").immutable().bool(false, v -> c.daemonize = v));
        t.add(named("supervised").immutable().enumOf("no", "upstart", "systemd", "auto", "no"));
        t.add(named("pidfile").immutable().string("", v -> c.pidfile = v));
        t.add(named("logfile").immutable().string("", v -> c.logfile = v));
        t.add(named("loglevel").enumOf("notice", v -> c.loglevel = v, "debug", "verbose", "notice", "warning"));
        t.add(named("syslog-enabled").immutable().bool(false));
        t.add(named("syslog-ident").immutable().string("redis"));
        t.add(named("syslog-facility").immutable().enumOf("local0", "user", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7"));
        t.add(named("crash-log-enabled").bool(true));
        t.add(named("crash-memcheck-enabled").bool(true));
        t.add(named("always-show-logo").immutable().bool(false));
        t.add(named("set-proc-title").immutable().bool(true));
        t.add(named("proc-title-template").string("{title} {listen-addr} {server-mode}"));
        t.add(named("ignore-warnings").string(""));
        t.add(named("disable-thp").immutable().bool(true));
        t.add(named("jemalloc-bg-thread").bool(true));
        t.add(named("server_cpulist").immutable().string(""));
        t.add(named("bio_cpulist").immutable().string(""));
        t.add(named("aof_rewrite_cpulist").immutable().string(""));
        t.add(named("bgsave_cpulist").immutable().string(""));
        t.add(named("oom-score-adj").enumOf("no", "no", "yes", "relative", "absolute"));
        t.add(ConfigSpecials.oomScoreAdjValues());
        t.add(named("enable-protected-configs").immutable().enumOf("no", v -> c.enableProtectedConfigs = v,
            NO_YES_LOCAL));
        t.add(named("enable-debug-command").immutable().enumOf("no", v -> c.enableDebugCommand = v, NO_YES_LOCAL));
        t.add(named("enable-module-command").immutable().enumOf("no", v -> c.enableModuleCommand = v,
            NO_YES_LOCAL));
        t.add(named("slowlog-log-slower-than").integer(-1, Long.MAX_VALUE, 10000, v -> c.slowlogLogSlowerThan = v));
        t.add(named("slowlog-max-len").integer(0, Long.MAX_VALUE, 128, v -> c.slowlogMaxLen = v));
        t.add(named("latency-monitor-threshold").integer(0, Long.MAX_VALUE, 0, v -> c.latencyMonitorThreshold = v));
        t.add(named("latency-tracking").bool(true, v -> c.latencyTracking = v));
        t.add(ConfigSpecials.latencyTrackingInfoPercentiles(c));
        t.add(ConfigSpecials.notifyKeyspaceEvents(c));
        t.add(named("busy-reply-threshold").alias("lua-time-limit").integer(0, Long.MAX_VALUE, 5000));
        t.add(named("activerehashing").bool(true));
        t.add(named("active-expire-effort").integer(1, 10, 1));
        t.add(named("activedefrag").bool(false));
        t.add(named("active-defrag-ignore-bytes").memory(1, Long.MAX_VALUE, 100L * 1024 * 1024));
        t.add(named("active-defrag-threshold-lower").integer(0, 1000, 10));
        t.add(named("active-defrag-threshold-upper").integer(0, 1000, 100));
        t.add(named("active-defrag-cycle-min").integer(1, 99, 1));
        t.add(named("active-defrag-cycle-max").integer(1, 99, 25));
        t.add(named("active-defrag-max-scan-fields").integer(1, Long.MAX_VALUE, 1000));
        t.add(named("lazyfree-lazy-eviction").bool(false, v -> c.lazyfreeLazyEviction = v));
        t.add(named("lazyfree-lazy-expire").bool(false));
        t.add(named("lazyfree-lazy-server-del").bool(false));
        t.add(named("lazyfree-lazy-user-del").bool(false));
        t.add(named("lazyfree-lazy-user-flush").bool(false));
        t.add(ConfigSpecials.shutdownOn("shutdown-on-sigint"));
        t.add(ConfigSpecials.shutdownOn("shutdown-on-sigterm"));
        t.add(named("shutdown-timeout").integer(0, Integer.MAX_VALUE, 10));
        t.add(named("propagation-error-behavior").enumOf("ignore", "ignore", "panic", "panic-on-replicas"));
    }

    private static void persistence(final ConfigTable t, final ServerConfig c) {
        t.add(ConfigSpecials.dir(c));
        t.add(ConfigSpecials.dbfilename(c));
        t.add(ConfigSpecials.save(c));
        t.add(named("stop-writes-on-bgsave-error").bool(true, v -> c.stopWritesOnBgsaveError = v));
        t.add(named("rdbcompression").bool(true, v -> c.rdbCompression = v));
        t.add(named("rdbchecksum").immutable().bool(true, v -> c.rdbChecksum = v));
        t.add(named("rdb-key-save-delay").hidden().integer(Integer.MIN_VALUE, Integer.MAX_VALUE, 0,
            v -> c.rdbKeySaveDelayUs = v));
        t.add(named("key-load-delay").hidden().integer(Integer.MIN_VALUE, Integer.MAX_VALUE, 0,
            v -> c.keyLoadDelayUs = v));
        t.add(named("rdb-del-sync-files").bool(false));
        t.add(named("rdb-save-incremental-fsync").bool(true));
        t.add(named("sanitize-dump-payload").enumOf("no", "no", "yes", "clients"));
        t.add(named("appendonly").bool(false));
        t.add(named("appendfilename").immutable().string("appendonly.aof"));
        t.add(named("appenddirname").immutable().string("appendonlydir"));
        t.add(named("appendfsync").enumOf("everysec", "everysec", "always", "no"));
        t.add(named("no-appendfsync-on-rewrite").bool(false));
        t.add(named("auto-aof-rewrite-percentage").integer(0, Integer.MAX_VALUE, 100));
        t.add(named("auto-aof-rewrite-min-size").memory(0, Long.MAX_VALUE, 64L * 1024 * 1024));
        t.add(named("aof-load-truncated").bool(true));
        t.add(named("aof-use-rdb-preamble").bool(true));
        t.add(named("aof-rewrite-incremental-fsync").bool(true));
        t.add(named("aof-timestamp-enabled").bool(false));
        t.add(named("aof-disable-auto-gc").bool(false));
    }

    private static void replication(final ConfigTable t, final ServerConfig c) {
        t.add(ConfigSpecials.replicaof());
        t.add(named("masterauth").string(""));
        t.add(named("masteruser").string(""));
        t.add(named("replica-serve-stale-data").alias("slave-serve-stale-data").bool(true));
        t.add(named("replica-read-only").alias("slave-read-only").bool(true));
        t.add(named("replica-ignore-maxmemory").alias("slave-ignore-maxmemory").bool(true,
            v -> c.replicaIgnoreMaxmemory = v));
        t.add(named("replica-lazy-flush").alias("slave-lazy-flush").bool(false));
        t.add(named("replica-priority").alias("slave-priority").integer(0, Integer.MAX_VALUE, 100));
        t.add(named("replica-announce-ip").alias("slave-announce-ip").string(""));
        t.add(named("replica-announce-port").alias("slave-announce-port").integer(0, 65535, 0));
        t.add(named("replica-announced").bool(true));
        t.add(named("replica-ignore-disk-write-errors").bool(false));
        t.add(named("repl-ping-replica-period").alias("repl-ping-slave-period").integer(1, Integer.MAX_VALUE, 10));
        t.add(named("repl-timeout").integer(1, Integer.MAX_VALUE, 60));
        t.add(named("repl-disable-tcp-nodelay").bool(false));
        t.add(named("repl-diskless-sync").bool(true));
        t.add(named("repl-diskless-sync-delay").integer(0, Integer.MAX_VALUE, 5));
        t.add(named("repl-diskless-sync-max-replicas").integer(0, Integer.MAX_VALUE, 0));
        t.add(named("repl-diskless-load").enumOf("disabled", "disabled", "on-empty-db", "swapdb"));
        t.add(named("repl-backlog-size").memory(1, Long.MAX_VALUE, 1024 * 1024, v -> c.replBacklogSize = v));
        t.add(named("repl-backlog-ttl").integer(0, Long.MAX_VALUE, 3600));
        t.add(named("min-replicas-to-write").alias("min-slaves-to-write").integer(0, Integer.MAX_VALUE, 0));
        t.add(named("min-replicas-max-lag").alias("min-slaves-max-lag").integer(0, Integer.MAX_VALUE, 10));
        // Cinnabar's own (issue 11, docs/operations.md): the master's lease from its sentinels, and the start fence
        t.add(named("cinnabar-master-lease-ms").hidden().integer(0, Integer.MAX_VALUE, 2000));
        t.add(named("cinnabar-start-fenced-ms").hidden().integer(0, Integer.MAX_VALUE, 0));
        t.add(named("cinnabar-sync-replicas").hidden().integer(0, Integer.MAX_VALUE, 1));
        t.add(named("cinnabar-sync-timeout-ms").hidden().integer(1, Integer.MAX_VALUE, 2000));
    }

    private static void memory(final ConfigTable t, final ServerConfig c) {
        t.add(named("maxmemory").memory(0, Long.MAX_VALUE, 0, v -> c.storage.maxmemory = v));
        t.add(named("maxmemory-policy").enumOf("noeviction", v -> c.storage.maxmemoryPolicy = v,
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "noeviction"));
        t.add(named("maxmemory-samples").integer(1, Integer.MAX_VALUE, 5,
            v -> c.storage.maxmemorySamples = v.intValue()));
        t.add(named("maxmemory-eviction-tenacity").integer(0, 100, 10,
            v -> c.maxmemoryEvictionTenacity = v.intValue()));
        t.add(ConfigSpecials.maxmemoryClients());
        t.add(named("lfu-log-factor").integer(0, Integer.MAX_VALUE, 10, v -> c.storage.lfuLogFactor = v.intValue()));
        t.add(named("lfu-decay-time").integer(0, Integer.MAX_VALUE, 1, v -> c.storage.lfuDecayTime = v.intValue()));
    }

    private static void encodings(final ConfigTable t, final ServerConfig c) {
        t.add(named("hash-max-listpack-entries").alias("hash-max-ziplist-entries")
            .integer(0, Long.MAX_VALUE, 512, v -> c.storage.hashMaxListpackEntries = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("hash-max-listpack-value").alias("hash-max-ziplist-value")
            .memory(0, Long.MAX_VALUE, 64, v -> c.storage.hashMaxListpackValue = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("list-max-listpack-size").alias("list-max-ziplist-size")
            .integer(Integer.MIN_VALUE, Integer.MAX_VALUE, -2, v -> c.storage.listMaxListpackSize = v.intValue()));
        t.add(named("list-compress-depth").integer(0, Integer.MAX_VALUE, 0,
            v -> c.storage.listCompressDepth = v.intValue()));
        t.add(named("set-max-intset-entries").integer(0, Long.MAX_VALUE, 512,
            v -> c.storage.setMaxIntsetEntries = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("zset-max-listpack-entries").alias("zset-max-ziplist-entries")
            .integer(0, Long.MAX_VALUE, 128, v -> c.storage.zsetMaxListpackEntries = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("zset-max-listpack-value").alias("zset-max-ziplist-value")
            .memory(0, Long.MAX_VALUE, 64, v -> c.storage.zsetMaxListpackValue = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("hll-sparse-max-bytes").memory(0, Long.MAX_VALUE, 3000,
            v -> c.storage.hllSparseMaxBytes = (int) Math.min(v, Integer.MAX_VALUE)));
        t.add(named("stream-node-max-bytes").memory(0, Long.MAX_VALUE, 4096));
        t.add(named("stream-node-max-entries").integer(0, Long.MAX_VALUE, 100));
    }

    private static void cluster(final ConfigTable t) {
        t.add(named("cluster-enabled").immutable().bool(false));
        t.add(named("cluster-config-file").immutable().string("nodes.conf"));
        t.add(named("cluster-port").immutable().integer(0, 65535, 0));
        t.add(named("cluster-node-timeout").integer(0, Long.MAX_VALUE, 15000));
        t.add(named("cluster-announce-ip").string(""));
        t.add(named("cluster-announce-hostname").string(""));
        t.add(named("cluster-announce-port").integer(0, 65535, 0));
        t.add(named("cluster-announce-bus-port").integer(0, 65535, 0));
        t.add(named("cluster-announce-tls-port").integer(0, 65535, 0));
        t.add(named("cluster-require-full-coverage").bool(true));
        t.add(named("cluster-replica-no-failover").alias("cluster-slave-no-failover").bool(false));
        t.add(named("cluster-replica-validity-factor").alias("cluster-slave-validity-factor")
            .integer(0, Integer.MAX_VALUE, 10));
        t.add(named("cluster-migration-barrier").integer(0, Integer.MAX_VALUE, 1));
        t.add(named("cluster-allow-replica-migration").bool(true));
        t.add(named("cluster-allow-reads-when-down").bool(false));
        t.add(named("cluster-allow-pubsubshard-when-down").bool(true));
        t.add(named("cluster-link-sendbuf-limit").memory(0, Long.MAX_VALUE, 0));
        t.add(named("cluster-preferred-endpoint-type").enumOf("ip", "ip", "hostname", "unknown-endpoint"));
    }

    /** tls-cluster is accepted and ignored, as by Redis outside cluster mode. */
    private static void tls(final ConfigTable t, final ServerConfig c) {
        final TlsSettings s = c.tls;
        t.add(named("tls-port").integer(0, 65535, 0, v -> c.tlsPort = v.intValue()));
        t.add(named("tls-cert-file").string("", v -> s.certFile = v));
        t.add(named("tls-key-file").string("", v -> s.keyFile = v));
        t.add(named("tls-key-file-pass").string("", v -> s.keyFilePass = v));
        t.add(named("tls-client-cert-file").string("", v -> s.clientCertFile = v));
        t.add(named("tls-client-key-file").string("", v -> s.clientKeyFile = v));
        t.add(named("tls-client-key-file-pass").string("", v -> s.clientKeyFilePass = v));
        t.add(named("tls-dh-params-file").string("", v -> s.dhParamsFile = v));
        t.add(named("tls-ca-cert-file").string("", v -> s.caCertFile = v));
        t.add(named("tls-ca-cert-dir").string("", v -> s.caCertDir = v));
        t.add(named("tls-protocols").string("", v -> s.protocols = v));
        t.add(named("tls-ciphers").string("", v -> s.ciphers = v));
        t.add(named("tls-ciphersuites").string("", v -> s.ciphersuites = v));
        t.add(named("tls-prefer-server-ciphers").bool(false, v -> s.preferServerCiphers = v));
        t.add(named("tls-session-caching").bool(true, v -> s.sessionCaching = v));
        t.add(named("tls-session-cache-size").integer(0, Integer.MAX_VALUE, 20480, v -> s.sessionCacheSize = v));
        t.add(named("tls-session-cache-timeout").integer(0, Integer.MAX_VALUE, 300,
            v -> s.sessionCacheTimeoutSeconds = v));
        t.add(named("tls-cluster").bool(false));
        t.add(named("tls-replication").bool(false, v -> c.tlsReplication = v));
        t.add(named("tls-auth-clients").enumOf("yes", v -> s.authClients = v, "no", "yes", "optional"));
    }
}
