package dev.cinnabar.server.info;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

@Timeout(30)
class InfoTest {
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    private static List<String> headers(final String info) {
        return info.lines().filter(l -> l.startsWith("# ")).toList();
    }

    @Test
    void sectionSelectionFollowsRedis() {
        final Info info = server.info();
        final List<String> defaults = List.of("# Server", "# Clients", "# Memory", "# Persistence", "# Stats",
            "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace");
        assertThat(headers(info.generate(List.of()))).isEqualTo(defaults);
        assertThat(headers(info.generate(List.of("default")))).isEqualTo(defaults);
        assertThat(headers(info.generate(List.of("all")))).containsExactly("# Server", "# Clients", "# Memory",
            "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Commandstats", "# Errorstats",
            "# Latencystats", "# Cluster", "# Keyspace");
        assertThat(headers(info.generate(List.of("everything")))).hasSize(13);
        assertThat(headers(info.generate(List.of("KEYSPACE", "server", "nosuch"))))
            .containsExactly("# Server", "# Keyspace");
        assertThat(info.generate(List.of("cluster"))).isEqualTo("# Cluster\r\ncluster_enabled:0\r\n");
        assertThat(info.generate(List.of("nosuch"))).isEmpty();
        assertThat(info.generate(List.of("server", "clients"))).contains("io_threads_active:0\r\ncinnabar_version:")
            .contains("\r\n\r\n# Clients\r\nconnected_clients:");
    }

    @Test
    void fieldsArePresentWithRedisNames() throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(c.call("GET", "nokey")).isEqualTo("$-1\r\n");
            assertThat(c.call("CONFIG", "GET")).startsWith("-ERR wrong number of arguments for 'config|get'");
            final String info = c.call("INFO", "everything");
            assertThat(info).contains("redis_version:7.0.15\r\n", "redis_mode:standalone\r\n", "arch_bits:64\r\n",
                "tcp_port:" + server.boundPort() + "\r\n", "configured_hz:10\r\n", "executable:", "config_file:\r\n",
                "run_id:" + server.runId() + "\r\n", "connected_clients:1\r\n", "maxclients:10000\r\n",
                "used_memory:", "used_memory_human:", "used_memory_rss:", "maxmemory:0\r\n",
                "maxmemory_policy:noeviction\r\n", "mem_fragmentation_ratio:", "loading:0\r\n",
                "rdb_last_bgsave_status:ok\r\n", "total_connections_received:1\r\n", "instantaneous_ops_per_sec:",
                "keyspace_hits:1\r\n", "keyspace_misses:1\r\n", "expired_keys:0\r\n", "evicted_keys:0\r\n",
                "total_error_replies:1\r\n", "role:master\r\n", "connected_slaves:0\r\n",
                "master_failover_state:no-failover\r\n", "master_replid2:0000000000000000000000000000000000000000\r\n",
                "master_repl_offset:0\r\n", "second_repl_offset:-1\r\n", "repl_backlog_active:0\r\n",
                "repl_backlog_size:1048576\r\n", "repl_backlog_first_byte_offset:0\r\n", "repl_backlog_histlen:0\r\n",
                "used_cpu_sys:", "used_cpu_user:", "used_cpu_user_main_thread:",
                "cmdstat_get:calls=2,usec=", "errorstat_ERR:count=1\r\n",
                "cmdstat_config|get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n",
                "latency_percentiles_usec_get:p50=", "db0:keys=1,expires=0,avg_ttl=0\r\n");
            assertThat(info).containsPattern("master_replid:[0-9a-f]{40}\r\n")
                .containsPattern("cmdstat_set:calls=1,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,"
                    + "failed_calls=0\r\n")
                .containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
            assertThat(c.call("INFO", "stats")).contains("keyspace_hits:0\r\n", "total_error_replies:0\r\n");
            assertThat(c.call("INFO", "commandstats")).doesNotContain("cmdstat_get");
        }
    }
}
