package dev.cinnabar.server.info;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.replication.Replication;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.Version;
import dev.cinnabar.server.config.ConfigSpecials;
import dev.cinnabar.server.config.ServerConfig;
import dev.cinnabar.server.dispatch.CommandStats;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.storage.commands.MemoryFigures;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * The INFO sections of a standalone master, with Redis 7.0's field names in Redis's order.
 * used_memory is the figure maxmemory compares ({@link dev.cinnabar.server.memory.ServerMemory}: the
 * keyspace estimate plus the backlog), the JVM heap in use is allocator_allocated, RSS comes from
 * /proc/self/statm; CPU from the OperatingSystemMXBean and ThreadMXBean split by /proc's ticks. Persistence fills its
 * section itself ({@link dev.cinnabar.server.persistence.Persistence#info}).
 */
public final class ServerInfoSections {
    /** The sentinel role's sync counters: it replicates nothing. */
    private static final Replication.Stats NO_REPLICATION = new Replication.Stats();
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long TOTAL_SYSTEM_MEMORY = OS instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : 0;
    private static final String OS_NAME = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + (System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
    private static final String EXECUTABLE = executable();
    private final Server server;

    private ServerInfoSections(final Server server) {
        this.server = server;
        server.memory().markStartup();
    }

    public static void registerAll(final Server server, final Info info) {
        final ServerInfoSections s = new ServerInfoSections(server);
        info.register("Server", true, s::server);
        info.register("Clients", true, s::clients);
        info.register("Memory", true, s::memory);
        info.register("Persistence", true, s::persistence);
        info.register("Stats", true, s::stats);
        info.register("Replication", true, s::replication);
        info.register("CPU", true, s::cpu);
        info.register("Modules", true, w -> { });
        info.register("Commandstats", false, s::commandstats);
        info.register("Errorstats", true, s::errorstats);
        info.register("Latencystats", false, s::latencystats);
        info.register("Cluster", true, w -> w.field("cluster_enabled", 0));
        info.register("Keyspace", true, s::keyspace);
    }

    /** A sentinel serves only these sections, as redis-sentinel does. */
    public static void registerSentinel(final Server server, final Info info, final InfoSection sentinel) {
        final ServerInfoSections s = new ServerInfoSections(server);
        info.register("Server", true, s::server);
        info.register("Clients", true, s::clients);
        info.register("Stats", true, s::stats);
        info.register("CPU", true, s::cpu);
        info.register("Sentinel", true, sentinel);
    }

    private void server(final InfoWriter w) {
        final ServerConfig c = server.config();
        final long nowMs = System.currentTimeMillis();
        final long uptime = (nowMs - server.startMs()) / 1000;
        w.field("redis_version", Version.REDIS_VERSION)
            .field("redis_git_sha1", "00000000")
            .field("redis_git_dirty", 0)
            .field("redis_build_id", "0")
            .field("redis_mode", server.sentinel() != null ? "sentinel" : "standalone")
            .field("os", OS_NAME)
            .field("arch_bits", 64)
            .field("monotonic_clock", "POSIX clock_gettime")
            .field("multiplexing_api", server.net() != null && server.net().epoll() ? "epoll" : "java-nio")
            .field("atomicvar_api", "java")
            .field("gcc_version", "0.0.0")
            .field("process_id", ProcessHandle.current().pid())
            .field("process_supervised", "no")
            .field("run_id", server.runId())
            .field("tcp_port", server.mainPort())
            .field("server_time_usec", nowMs * 1000)
            .field("uptime_in_seconds", uptime)
            .field("uptime_in_days", uptime / 86400)
            .field("hz", c.hz)
            .field("configured_hz", c.hz)
            .field("lru_clock", server.keyspace().lruClock())
            .field("executable", EXECUTABLE)
            .field("config_file", c.configFile == null ? "" : c.configFile)
            .field("io_threads_active", 0)
            .field("cinnabar_version", Version.CINNABAR_VERSION);
    }

    private static String executable() {
        try {
            return Path.of(ServerInfoSections.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath().toString();
        } catch (Exception e) {
            return ProcessHandle.current().info().command().orElse("");
        }
    }

    private void clients(final InfoWriter w) {
        long maxIn = 0;
        long maxOut = 0;
        int replicas = 0;
        for (final ClientSession c : server.clients()) {
            maxIn = Math.max(maxIn, c.decoder().pending());
            maxOut = Math.max(maxOut, c.pendingOutput());
            if (c.replica()) {
                replicas++;
            }
        }
        // Redis: listLength(server.clients) - listLength(server.slaves)
        w.field("connected_clients", server.clients().size() - replicas)
            .field("cluster_connections", 0)
            .field("maxclients", server.config().maxclients)
            .field("client_recent_max_input_buffer", maxIn)
            .field("client_recent_max_output_buffer", maxOut)
            .field("blocked_clients", server.blocking().count())
            .field("tracking_clients", server.tracking().clients())
            .field("clients_in_timeout_table", 0);
    }

    private void memory(final InfoWriter w) {
        final MemoryFigures f = server.memory().figures();
        final Keyspace ks = server.keyspace();
        final long used = f.used();
        final long rss = f.rss();
        final long peak = f.peak();
        final long heap = f.heapUsed();
        final long committed = f.heapCommitted();
        final long maxmemory = server.config().storage.maxmemory;
        w.field("used_memory", used)
            .field("used_memory_human", InfoWriter.human(used))
            .field("used_memory_rss", rss)
            .field("used_memory_rss_human", InfoWriter.human(rss))
            .field("used_memory_peak", peak)
            .field("used_memory_peak_human", InfoWriter.human(peak))
            .field("used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0 : used * 100.0 / peak))
            .field("used_memory_overhead", f.overhead(ks))
            .field("used_memory_startup", f.startup())
            .field("used_memory_dataset", f.dataset(ks))
            .field("used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%", f.datasetPercentage(ks)))
            .field("allocator_allocated", heap)
            .field("allocator_active", committed)
            .field("allocator_resident", rss)
            .field("total_system_memory", TOTAL_SYSTEM_MEMORY)
            .field("total_system_memory_human", InfoWriter.human(TOTAL_SYSTEM_MEMORY))
            .field("used_memory_lua", 0)
            .field("used_memory_vm_eval", 0)
            .field("used_memory_lua_human", "0B")
            .field("used_memory_scripts_eval", 0)
            .field("number_of_cached_scripts", 0)
            .field("number_of_functions", 0)
            .field("number_of_libraries", 0)
            .field("used_memory_vm_functions", 0)
            .field("used_memory_vm_total", 0)
            .field("used_memory_vm_total_human", "0B")
            .field("used_memory_functions", 0)
            .field("used_memory_scripts", 0)
            .field("used_memory_scripts_human", "0B")
            .field("maxmemory", maxmemory)
            .field("maxmemory_human", InfoWriter.human(maxmemory))
            .field("maxmemory_policy", server.config().storage.maxmemoryPolicy)
            .field2("allocator_frag_ratio", ratio(committed, heap))
            .field("allocator_frag_bytes", committed - heap)
            .field2("allocator_rss_ratio", ratio(rss, committed))
            .field("allocator_rss_bytes", rss - committed)
            .field2("rss_overhead_ratio", ratio(rss, rss))
            .field("rss_overhead_bytes", 0)
            .field2("mem_fragmentation_ratio", ratio(rss, used))
            .field("mem_fragmentation_bytes", rss - used)
            .field("mem_not_counted_for_evict", server.memory().notCountedForEviction())
            .field("mem_replication_backlog", f.backlog())
            .field("mem_total_replication_buffers", 0)
            .field("mem_clients_slaves", 0)
            .field("mem_clients_normal", f.clientsNormal())
            .field("mem_cluster_links", 0)
            .field("mem_aof_buffer", 0)
            .field("mem_allocator", "jvm")
            .field("active_defrag_running", 0)
            .field("lazyfree_pending_objects", 0)
            .field("lazyfreed_objects", 0);
    }

    private static double ratio(final long a, final long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /**
     * Read once, as Redis reads it at start-up (zmalloc_get_memory_size): the JVM's answer reads the
     * cgroup files on every call, which made INFO memory cost a millisecond.
     */
    private void persistence(final InfoWriter w) {
        server.persistence().info(w);
    }

    private void stats(final InfoWriter w) {
        final var st = server.stats();
        final Keyspace.Stats ks = server.keyspace().stats;
        final CommandStats cs = server.commandStats();
        final Replication.Stats repl = server.replication() != null ? server.replication().state().stats() : NO_REPLICATION;
        w.field("total_connections_received", st.totalConnectionsReceived)
            .field("total_commands_processed", cs.totalCommands)
            .field("instantaneous_ops_per_sec", st.opsPerSec.perSecond())
            .field("total_net_input_bytes", st.netInputBytes)
            .field("total_net_output_bytes", st.netOutputBytes)
            .field("total_net_repl_input_bytes", 0)
            .field("total_net_repl_output_bytes", 0)
            .field2("instantaneous_input_kbps", st.inputBytesPerSec.perSecond() / 1024.0)
            .field2("instantaneous_output_kbps", st.outputBytesPerSec.perSecond() / 1024.0)
            .field("instantaneous_input_repl_kbps", "0.00")
            .field("instantaneous_output_repl_kbps", "0.00")
            .field("rejected_connections", st.rejectedConnections)
            .field("sync_full", repl.syncFull)
            .field("sync_partial_ok", repl.syncPartialOk)
            .field("sync_partial_err", repl.syncPartialErr)
            .field("expired_keys", ks.expiredKeys)
            .field2("expired_stale_perc", ks.expiredStalePerc)
            .field("expired_time_cap_reached_count", ks.expiredTimeCapReached)
            .field("expire_cycle_cpu_milliseconds", 0)
            .field("evicted_keys", ks.evictedKeys)
            .field("evicted_clients", 0)
            .field("total_eviction_exceeded_time", server.memory().totalExceededTimeMs(server.clock()))
            .field("current_eviction_exceeded_time", server.memory().currentExceededTimeMs(server.clock()))
            .field("keyspace_hits", ks.keyspaceHits)
            .field("keyspace_misses", ks.keyspaceMisses)
            .field("pubsub_channels", server.pubsub().channelCount())
            .field("pubsub_patterns", server.pubsub().patternCount())
            .field("pubsubshard_channels", server.pubsub().shardChannelCount())
            .field("latest_fork_usec", 0)
            .field("total_forks", 0)
            .field("migrate_cached_sockets", 0)
            .field("slave_expires_tracked_keys", 0)
            .field("active_defrag_hits", 0)
            .field("active_defrag_misses", 0)
            .field("active_defrag_key_hits", 0)
            .field("active_defrag_key_misses", 0)
            .field("total_active_defrag_time", 0)
            .field("current_active_defrag_time", 0)
            .field("tracking_total_keys", server.tracking().totalKeys())
            .field("tracking_total_items", server.tracking().totalItems())
            .field("tracking_total_prefixes", server.tracking().totalPrefixes())
            .field("unexpected_error_replies", 0)
            .field("total_error_replies", cs.totalErrorReplies)
            .field("dump_payload_sanitizations", 0)
            .field("total_reads_processed", st.totalReadsProcessed)
            .field("total_writes_processed", st.totalWritesProcessed)
            .field("io_threaded_reads_processed", 0)
            .field("io_threaded_writes_processed", 0)
            .field("reply_buffer_shrinks", 0)
            .field("reply_buffer_expands", 0);
    }

    private void replication(final InfoWriter w) {
        server.replication().info(w);
    }

    /**
     * Process CPU time (precise) split into user and system by the kernel's sampled ticks, as
     * getrusage splits it for Redis; the keyspace loop, which runs INFO, is Redis's main thread.
     */
    private void cpu(final InfoWriter w) {
        final long total = OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
        final long user = ProcFiles.userPart(total, ProcFiles.processTicks());
        final long mainCpu = THREADS.getCurrentThreadCpuTime();
        final long mainUser = ProcFiles.userPart(mainCpu, ProcFiles.threadTicks());
        w.field("used_cpu_sys", seconds(total - user))
            .field("used_cpu_user", seconds(user))
            .field("used_cpu_sys_children", "0.000000")
            .field("used_cpu_user_children", "0.000000")
            .field("used_cpu_sys_main_thread", seconds(mainCpu - mainUser))
            .field("used_cpu_user_main_thread", seconds(mainUser));
    }

    private static String seconds(final long nanos) {
        final long micros = Math.max(0, nanos) / 1000;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private void commandstats(final InfoWriter w) {
        final CommandStats cs = server.commandStats();
        for (final CommandSpec s : server.commandTable().allWithSubcommands()) {
            final int id = s.id();
            if (cs.calls(id) == 0 && cs.failedCalls(id) == 0 && cs.rejectedCalls(id) == 0) {
                continue;
            }
            w.line("cmdstat_" + s.name() + ":calls=" + cs.calls(id) + ",usec=" + cs.usec(id)
                + ",usec_per_call=" + String.format(Locale.ROOT, "%.2f",
                    cs.calls(id) == 0 ? 0.0 : (double) cs.usec(id) / cs.calls(id))
                + ",rejected_calls=" + cs.rejectedCalls(id) + ",failed_calls=" + cs.failedCalls(id));
        }
    }

    private void errorstats(final InfoWriter w) {
        server.commandStats().errors().forEach((code, n) -> w.line("errorstat_" + code + ":count=" + n));
    }

    private void latencystats(final InfoWriter w) {
        final double[] percentiles = server.config().latencyPercentiles;
        for (final CommandSpec s : server.commandTable().allWithSubcommands()) {
            final Histogram h = server.commandStats().latency(s.id());
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            final StringBuilder sb = new StringBuilder("latency_percentiles_usec_").append(s.name()).append(':');
            for (int i = 0; i < percentiles.length; i++) {
                sb.append(i == 0 ? "" : ",").append('p').append(ConfigSpecials.formatPercentile(percentiles[i])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentiles[i]) / 1000.0));
            }
            w.line(sb.toString());
        }
    }

    private void keyspace(final InfoWriter w) {
        for (int i = 0; i < server.keyspace().databases(); i++) {
            final Database db = server.keyspace().db(i);
            if (db.size() > 0) {
                w.line("db" + i + ":keys=" + db.size() + ",expires=" + db.expires().size() + ",avg_ttl="
                    + db.avgTtl());
            }
        }
    }
}
