package dev.cinnabar.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

/** The master fence through the wire: sentinel hellos and pings in, READONLY and INFO out. */
@Timeout(60)
class MasterFenceServerTest {
    private static final String A = "aaaaaaaa" + "0".repeat(32);
    private Server server;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    /** One SET on a connection of its own: a refused write closes its connection. */
    private String set(final String value) throws Exception {
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            final String reply = c.call("SET", "k", value);
            if (reply.startsWith("-")) {
                assertThat(c.closedByServer()).as("the connection closes after a fenced write").isTrue();
            }
            return reply;
        }
    }

    private String hello(final String runid, final String masterIp, final int masterPort, final long epoch) {
        return "127.0.0.5,26379," + runid + ",0,mymaster," + masterIp + "," + masterPort + "," + epoch;
    }

    @Test
    void aMasterNamedByItsSentinelRefusesWritesOnceTheLeaseLapses() throws Exception {
        server = TestServers.start();
        final int port = server.boundPort();
        try (RespTestClient s = new RespTestClient(port); RespTestClient c = new RespTestClient(port)) {
            assertThat(set("1")).isEqualTo("+OK\r\n");
            assertThat(s.call("CLIENT", "SETNAME", "sentinel-aaaaaaaa-cmd")).isEqualTo("+OK\r\n");
            s.call("PUBLISH", "__sentinel__:hello", hello(A, "127.0.0.1", port, 0));
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:held\r\n", "cinnabar_fence_sentinels:1/1\r\n");
            assertThat(set("2")).isEqualTo("+OK\r\n");
            Thread.sleep(2600); // the lease (2000 ms) with no command from the sentinel
            assertThat(set("3")).startsWith("-READONLY You can't write against a fenced master");
            assertThat(c.call("GET", "k")).isEqualTo("$1\r\n2\r\n");
            assertThat(s.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(set("4")).as("a ping does not restore the lease").startsWith("-READONLY");
            s.call("PUBLISH", "__sentinel__:hello", hello(A, "127.0.0.1", port, 0));
            assertThat(set("5")).isEqualTo("+OK\r\n");
            s.call("PUBLISH", "__sentinel__:hello", hello(A, "127.0.0.9", 6379, 1)); // a newer epoch names another master
            assertThat(set("6")).startsWith("-READONLY");
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:lapsed\r\n", "cinnabar_fence_lapses:2\r\n");
            assertThat(c.call("CONFIG", "SET", "cinnabar-master-lease-ms", "0")).isEqualTo("+OK\r\n");
            assertThat(set("7")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void anUnnamedClientPublishingHellosChangesNothing() throws Exception {
        server = TestServers.start();
        final int port = server.boundPort();
        try (RespTestClient c = new RespTestClient(port)) {
            c.call("PUBLISH", "__sentinel__:hello", hello(A, "127.0.0.1", port, 0));
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:open\r\n", "cinnabar_fence_sentinels:0/0\r\n");
            Thread.sleep(2600);
            assertThat(set("1")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aStartFencedMasterRefusesWritesAndSyncsUntilReplicaofNoOne() throws Exception {
        server = TestServers.start("--cinnabar-start-fenced-ms", "60000");
        final int port = server.boundPort();
        try (RespTestClient c = new RespTestClient(port); RespTestClient r = new RespTestClient(port)) {
            assertThat(set("1")).startsWith("-READONLY You can't write against a master fenced at start-up");
            assertThat(r.call("PSYNC", "?", "-1")).startsWith("-NOMASTERLINK");
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:starting\r\n");
            assertThat(c.call("REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
            assertThat(set("1")).isEqualTo("+OK\r\n");
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:open\r\n");
        }
    }

    @Test
    void aStartFencedMasterAskedForAHistoryItLacksStaysFenced() throws Exception {
        server = TestServers.start("--cinnabar-start-fenced-ms", "1000");
        final int port = server.boundPort();
        try (RespTestClient c = new RespTestClient(port); RespTestClient r = new RespTestClient(port)) {
            assertThat(r.call("PSYNC", "b".repeat(40), "5000")).startsWith("-NOMASTERLINK");
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:diverged\r\n");
            Thread.sleep(1500); // past the bound: diverged is not lifted by time
            assertThat(set("1")).startsWith("-READONLY You can't write against a master whose replicas");
        }
    }

    /**
     * What a Cinnabar sentinel does to a node it manages (CONFIG SET, then CONFIG REWRITE): the
     * hidden parameter reaches the config file, and a restart on that file starts fenced.
     */
    @Test
    void aStartFenceSetAndRewrittenSurvivesARestartOnTheConfigFile(@TempDir final Path dir) throws Exception {
        final Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "# a node's own config\nappendonly no\n");
        server = TestServers.startWithConfig(conf, "--dir", dir.toString());
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:open\r\n",
                "cinnabar_start_fenced_ms:0\r\n");
            assertThat(c.call("CONFIG", "SET", "cinnabar-start-fenced-ms", "60000")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("+OK\r\n");
            assertThat(set("1")).as("the setting is for the next start").isEqualTo("+OK\r\n");
        }
        assertThat(Files.readString(conf)).contains("# a node's own config\n", "\ncinnabar-start-fenced-ms 60000\n");
        TestServers.stop(server);
        server = TestServers.startWithConfig(conf, "--dir", dir.toString());
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("INFO", "replication")).contains("cinnabar_fence:starting\r\n",
                "cinnabar_start_fenced_ms:60000\r\n");
            assertThat(set("2")).startsWith("-READONLY You can't write against a master fenced at start-up");
        }
    }

    @Test
    void aNodeWithoutConfigFileTakesTheSettingButCannotRewrite() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("CONFIG", "SET", "cinnabar-start-fenced-ms", "60000")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("-ERR The server is running without a config file\r\n");
            assertThat(c.call("CONFIG", "GET", "cinnabar-start-fenced-ms"))
                .isEqualTo("*2\r\n$24\r\ncinnabar-start-fenced-ms\r\n$5\r\n60000\r\n");
        }
    }

    @Test
    void aStartFencedMasterNobodyWatchesOpensAfterTheBound() throws Exception {
        server = TestServers.start("--cinnabar-start-fenced-ms", "500");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(set("1")).startsWith("-READONLY");
            Thread.sleep(800);
            assertThat(set("1")).isEqualTo("+OK\r\n");
        }
    }
}
