package dev.cinnabar.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

/**
 * The replication commands in one JVM: replies and errors as Redis 7.0.15 gives them (checked
 * against the real server), and a master with a replica over loopback.
 */
@Timeout(60)
class ReplicationCommandsTest {
    @TempDir
    Path dir;

    private Server master;
    private Server replica;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(replica);
        TestServers.stop(master);
    }

    @Test
    void aFreshMasterReportsNoReplication() throws Exception {
        master = TestServers.start();
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            assertThat(c.call("INFO", "replication")).matches("(?s)\\$\\d+\r\n# Replication\r\nrole:master\r\n"
                + "connected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:[0-9a-f]{40}\r\n"
                + "master_replid2:0{40}\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n"
                + "repl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n"
                + "cinnabar_fence:open\r\ncinnabar_fence_sentinels:0/0\r\ncinnabar_fence_lapses:0\r\n"
                + "cinnabar_start_fenced_ms:0\r\n\r\n");
            assertThat(c.call("ROLE")).isEqualTo("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(c.call("INFO", "replication")).contains("master_repl_offset:0\r\n");
            assertThat(c.call("WAIT", "0", "0")).isEqualTo(":0\r\n");
            assertThat(c.call("WAIT", "1", "10")).isEqualTo(":0\r\n");
            assertThat(c.call("REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void repliesAndErrorsAreRedis() throws Exception {
        master = TestServers.start();
        try (RespTestClient c = new RespTestClient(master.boundPort())) {
            assertThat(c.call("REPLCONF")).isEqualTo("+OK\r\n");
            assertThat(c.call("REPLCONF", "a")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("REPLCONF", "foo", "bar")).isEqualTo("-ERR Unrecognized REPLCONF option: foo\r\n");
            assertThat(c.call("REPLCONF", "listening-port", "x"))
                .isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("REPLCONF", "rdb-only", "2"))
                .isEqualTo("-ERR value is out of range, value must between 0 and 1\r\n");
            assertThat(c.call("REPLCONF", "ip-address", "a".repeat(300)))
                .isEqualTo("-ERR REPLCONF ip-address provided by replica instance is too long: 300 bytes\r\n");
            assertThat(c.call("REPLCONF", "capa", "eof", "capa", "unknown", "listening-port", "1")).isEqualTo("+OK\r\n");
            // ACK from a connection that is no replica: silently ignored, no reply at all
            c.send("REPLCONF", "ACK", "5");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            for (final String port : new String[] {"abc", "70000", "-1"}) {
                assertThat(c.call("REPLICAOF", "127.0.0.1", port)).isEqualTo("-ERR Invalid master port\r\n");
            }
            assertThat(c.call("REPLICAOF", "x")).isEqualTo("-ERR wrong number of arguments for 'replicaof' command\r\n");
            assertThat(c.call("WAIT", "1")).isEqualTo("-ERR wrong number of arguments for 'wait' command\r\n");
            assertThat(c.call("WAIT", "x", "0")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("WAIT", "0", "x")).isEqualTo("-ERR timeout is not an integer or out of range\r\n");
            assertThat(c.call("WAIT", "0", "-1")).isEqualTo("-ERR timeout is negative\r\n");
            assertThat(c.call("PSYNC", "?", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("PSYNC", "?", "-1")).isEqualTo("-ERR Command not allowed inside a transaction\r\n");
            assertThat(c.call("DISCARD")).isEqualTo("+OK\r\n");
        }
    }

    /**
     * Redis 7.0 (checked against 7.0.15): a master sends PUBLISH and SPUBLISH down the replication
     * stream, so subscribers on a replica get the message, and CLIENT PAUSE WRITE holds them as it
     * holds writes (the hidden may_replicate flag); COMMAND INFO still shows no such flag.
     */
    @Test
    void publishOnTheMasterReachesSubscribersOnItsReplicas() throws Exception {
        master = TestServers.start("--repl-diskless-sync-delay", "0");
        replica = TestServers.start("--replicaof", "127.0.0.1", Integer.toString(master.boundPort()));
        TestServers.await(() -> replica.replication().state().linkUp(), 30_000);
        try (RespTestClient sub = new RespTestClient(replica.boundPort());
             RespTestClient m = new RespTestClient(master.boundPort())) {
            assertThat(sub.call("SUBSCRIBE", "news")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
            assertThat(sub.call("SSUBSCRIBE", "shard")).isEqualTo("*3\r\n$10\r\nssubscribe\r\n$5\r\nshard\r\n:1\r\n");
            assertThat(m.call("PUBLISH", "news", "hello")).isEqualTo(":0\r\n");
            assertThat(sub.read()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
            assertThat(m.call("SPUBLISH", "shard", "hi")).isEqualTo(":0\r\n");
            assertThat(sub.read()).isEqualTo("*3\r\n$8\r\nsmessage\r\n$5\r\nshard\r\n$2\r\nhi\r\n");
            assertThat(m.call("COMMAND", "INFO", "PUBLISH")).contains("pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:0")
                .doesNotContain("may_replicate");
            assertThat(m.call("CLIENT", "PAUSE", "300", "WRITE")).isEqualTo("+OK\r\n");
            final long start = System.nanoTime();
            assertThat(m.call("PUBLISH", "news", "later")).isEqualTo(":0\r\n");
            assertThat(System.nanoTime() - start).isGreaterThan(200_000_000L);
            assertThat(sub.read()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nlater\r\n");
        }
    }

    @Test
    void aReplicaFollowsItsMasterAndIsPromoted() throws Exception {
        dir.resolve("m").toFile().mkdirs();
        dir.resolve("r").toFile().mkdirs();
        master = TestServers.start("--repl-diskless-sync-delay", "0", "--dir", dir.resolve("m").toString());
        try (RespTestClient m = new RespTestClient(master.boundPort())) {
            assertThat(m.call("SET", "before", "1")).isEqualTo("+OK\r\n");
        }
        replica = TestServers.start("--dir", dir.resolve("r").toString(), "--replica-serve-stale-data", "no");
        try (RespTestClient r = new RespTestClient(replica.boundPort());
             RespTestClient m = new RespTestClient(master.boundPort())) {
            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.boundPort()))).isEqualTo("+OK\r\n");
            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.boundPort())))
                .isEqualTo("+OK Already connected to specified master\r\n");
            TestServers.await(() -> replica.replication().state().linkUp(), 30_000);
            assertThat(r.call("GET", "before")).isEqualTo("$1\r\n1\r\n");
            assertThat(m.call("SET", "after", "2")).isEqualTo("+OK\r\n");
            assertThat(m.call("WAIT", "1", "10000")).isEqualTo(":1\r\n");
            assertThat(r.call("GET", "after")).isEqualTo("$1\r\n2\r\n");
            // the replica's link on the master: flags=S, type replica, not one of connected_clients (Redis's)
            assertThat(m.call("CLIENT", "LIST", "TYPE", "replica"))
                .matches("\\$\\d+\r\nid=\\d+ [^\n]* flags=S [^\n]* cmd=replconf [^\n]*\n\r\n");
            assertThat(m.call("CLIENT", "LIST", "TYPE", "normal")).contains(" cmd=client|list ").doesNotContain("flags=S");
            assertThat(m.call("CLIENT", "LIST")).contains(" flags=S ");
            assertThat(m.call("INFO", "clients")).contains("\r\nconnected_clients:1\r\n");
            // the master's client on the replica: flags=M, type master, the master's address, one of
            // connected_clients; CLIENT KILL drops the link, which continues with a partial resync (Redis's)
            final String link = r.call("CLIENT", "LIST", "TYPE", "master");
            assertThat(link).matches("\\$\\d+\r\nid=\\d+ addr=127\\.0\\.0\\.1:" + master.boundPort()
                + " laddr=127\\.0\\.0\\.1:\\d+ [^\n]* flags=M db=0 [^\n]* cmd=[a-z|]+ user=\\(superuser\\) [^\n]*\n\r\n");
            assertThat(r.call("CLIENT", "LIST")).contains(" flags=M ");
            assertThat(r.call("CLIENT", "LIST", "TYPE", "normal")).doesNotContain(" flags=M ");
            assertThat(r.call("INFO", "clients")).contains("\r\nconnected_clients:2\r\n");
            assertThat(r.call("CLIENT", "KILL", "TYPE", "normal")).isEqualTo(":0\r\n");
            assertThat(r.call("CLIENT", "KILL", "TYPE", "master")).isEqualTo(":1\r\n");
            TestServers.await(() -> replica.replication().state().linkUp(), 30_000);
            final String linkId = link.substring(link.indexOf("id="), link.indexOf(' '));
            assertThat(r.call("CLIENT", "LIST", "TYPE", "master")).contains(linkId + " addr=127.0.0.1:" + master.boundPort());
            assertThat(m.call("INFO", "stats")).contains("\r\nsync_full:1\r\nsync_partial_ok:1\r\n");
            assertThat(r.call("SET", "x", "y")).isEqualTo("-READONLY You can't write against a read only replica.\r\n");
            assertThat(r.call("CONFIG", "GET", "replicaof")).isEqualTo("*2\r\n$9\r\nreplicaof\r\n$"
                + ("127.0.0.1 " + master.boundPort()).length() + "\r\n127.0.0.1 " + master.boundPort() + "\r\n");
            assertThat(r.call("ROLE")).startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + master.boundPort()
                + "\r\n$9\r\nconnected\r\n:");
            assertThat(m.call("ROLE")).matches("\\*3\r\n\\$6\r\nmaster\r\n:\\d+\r\n\\*1\r\n\\*3\r\n\\$9\r\n127\\.0\\.0\\.1"
                + "\r\n\\$\\d+\r\n" + replica.boundPort() + "\r\n\\$\\d+\r\n\\d+\r\n");
            assertThat(r.call("INFO", "replication")).contains("role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:"
                + master.boundPort() + "\r\nmaster_link_status:up\r\n");
            final String masterId = master.replId();
            assertThat(replica.replId()).isEqualTo(masterId);

            master.stop();
            TestServers.await(() -> !replica.replication().state().linkUp(), 30_000);
            assertThat(r.call("GET", "after"))
                .isEqualTo("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n");
            assertThat(r.call("REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
            assertThat(r.call("SET", "x", "y")).isEqualTo("+OK\r\n");
            assertThat(r.call("GET", "after")).isEqualTo("$1\r\n2\r\n");
            assertThat(r.call("CONFIG", "GET", "replicaof")).isEqualTo("*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n");
            assertThat(r.call("INFO", "replication")).contains("role:master\r\n", "master_replid2:" + masterId + "\r\n");
        }
    }
}
