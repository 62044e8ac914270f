package dev.cinnabar.server.config;

import static dev.cinnabar.server.config.ConfigParam.named;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Redis 7.0's parameters with their defaults (redis.conf / config.c), each bound to the typed
 * field of {@link ServerConfig} it drives. Add a parameter here and nowhere else.
 */
public final class ConfigDefinitions {
    private ConfigDefinitions() {
    }

    public static ConfigTable table(final ServerConfig c) {
        final ConfigTable t = new ConfigTable();
        t.add(named("port").integer(0, 65535, 6379, v -> c.port = v.intValue()));
        t.add(named("bind").multiArg().custom("* -::*", v -> {
            c.bind = new ArrayList<>(Arrays.asList(v.trim().split("\\s+")));
            return null;
        }, () -> String.join(" ", c.bind)));
        t.add(named("databases").immutable().integer(1, Integer.MAX_VALUE, 16, v -> c.databases = v.intValue()));
        t.add(named("hz").integer(0, Integer.MAX_VALUE, 10, v -> c.hz = (int) Math.max(1, Math.min(500, v))));
        t.add(named("requirepass").string("", v -> c.requirepass = v));
        t.add(named("protected-mode").bool(true, v -> c.protectedMode = v));
        t.add(named("maxclients").integer(1, Integer.MAX_VALUE, 10000, v -> c.maxclients = v.intValue()));
        t.add(named("timeout").integer(0, Integer.MAX_VALUE, 0, v -> c.timeoutSeconds = v));
        t.add(named("tcp-keepalive").integer(0, Integer.MAX_VALUE, 300, v -> c.tcpKeepalive = v));
        t.add(named("tcp-backlog").immutable().integer(0, Integer.MAX_VALUE, 511, v -> c.tcpBacklog = v.intValue()));
        t.add(named("client-query-buffer-limit").memory(1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
            v -> c.clientQueryBufferLimit = v));
        t.add(named("proto-max-bulk-len").memory(1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024,
            v -> c.storage.protoMaxBulkLen = v));
        t.add(named("dir").string(".", v -> c.dir = v));
        t.add(named("dbfilename").string("dump.rdb", v -> c.dbfilename = v));
        t.add(named("logfile").immutable().string("", v -> c.logfile = v));
        t.add(named("loglevel").enumOf("notice", v -> c.loglevel = v, "debug", "verbose", "notice", "warning"));
        t.add(named("daemonize").immutable().bool(false, v -> c.daemonize = v));
        t.add(named("pidfile").immutable().string("", v -> c.pidfile = v));
        t.add(named("slowlog-log-slower-than").integer(-1, Long.MAX_VALUE, 10000, v -> c.slowlogLogSlowerThan = v));
        t.add(named("slowlog-max-len").integer(0, Long.MAX_VALUE, 128, v -> c.slowlogMaxLen = v));
        t.add(named("latency-monitor-threshold").integer(0, Long.MAX_VALUE, 0, v -> c.latencyMonitorThreshold = v));
        t.add(named("latency-tracking").bool(true, v -> c.latencyTracking = v));
        t.add(named("hash-max-listpack-entries").alias("hash-max-ziplist-entries")
            .integer(0, Integer.MAX_VALUE, 128, v -> c.storage.hashMaxListpackEntries = v.intValue()));
        t.add(named("hash-max-listpack-value").alias("hash-max-ziplist-value")
            .integer(0, Integer.MAX_VALUE, 64, v -> c.storage.hashMaxListpackValue = v.intValue()));
        t.add(named("list-max-listpack-size").alias("list-max-ziplist-size")
            .integer(Integer.MIN_VALUE, Integer.MAX_VALUE, -2, v -> c.storage.listMaxListpackSize = v.intValue()));
        t.add(named("list-compress-depth").integer(0, Integer.MAX_VALUE, 0, v -> c.storage.listCompressDepth = v.intValue()));
        t.add(named("set-max-intset-entries").integer(0, Integer.MAX_VALUE, 512, v -> c.storage.setMaxIntsetEntries = v.intValue()));
        t.add(named("zset-max-listpack-entries").alias("zset-max-ziplist-entries")
            .integer(0, Integer.MAX_VALUE, 128, v -> c.storage.zsetMaxListpackEntries = v.intValue()));
        t.add(named("zset-max-listpack-value").alias("zset-max-ziplist-value")
            .integer(0, Integer.MAX_VALUE, 64, v -> c.storage.zsetMaxListpackValue = v.intValue()));
        t.add(named("hll-sparse-max-bytes").memory(0, Long.MAX_VALUE, 3000, v -> c.storage.hllSparseMaxBytes = v.intValue()));
        t.add(named("maxmemory").memory(0, Long.MAX_VALUE, 0, v -> c.storage.maxmemory = v));
        t.add(named("maxmemory-policy").enumOf("noeviction", v -> c.storage.maxmemoryPolicy = v,
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "noeviction"));
        t.add(named("maxmemory-samples").integer(1, 64, 5, v -> c.storage.maxmemorySamples = v.intValue()));
        t.add(named("lfu-log-factor").integer(0, Integer.MAX_VALUE, 10, v -> c.storage.lfuLogFactor = v.intValue()));
        t.add(named("lfu-decay-time").integer(0, Integer.MAX_VALUE, 1, v -> c.storage.lfuDecayTime = v.intValue()));
        return t;
    }
}
