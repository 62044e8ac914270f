package dev.cinnabar.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

@Timeout(30)
class ConnectionCommandsTest {
    private Server server;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    @Test
    void helloSwitchesProtocolAndValidates() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            final long id = Long.parseLong(c.call("CLIENT", "ID").substring(1).trim());
            assertThat(c.call("HELLO", "3")).isEqualTo("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n"
                + "$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
                + "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
            assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("_\r\n");
            assertThat(c.call("HELLO", "2", "SETNAME", "n1")).startsWith("*14\r\n$6\r\nserver\r\n");
            assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$2\r\nn1\r\n");
            assertThat(c.call("HELLO", "4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(c.call("HELLO", "abc")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(c.call("HELLO", "3", "foo")).isEqualTo("-ERR Syntax error in HELLO option 'foo'\r\n");
            assertThat(c.call("HELLO", "2", "SETNAME", "a b"))
                .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
            assertThat(c.call("AUTH", "x")).isEqualTo("-ERR AUTH <password> called without any password configured "
                + "for the default user. Are you sure your configuration is correct?\r\n");
            assertThat(c.call("AUTH", "default", "anything")).isEqualTo("+OK\r\n");
            assertThat(c.call("AUTH", "bob", "x"))
                .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void requirepassGatesCommandsUntilAuth() throws Exception {
        server = TestServers.start("--requirepass", "s3cret");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("HELLO", "3")).startsWith("-NOAUTH HELLO must be called with the client already "
                + "authenticated");
            assertThat(c.call("AUTH", "wrong"))
                .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("HELLO", "3", "AUTH", "default", "s3cret")).startsWith("%7\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
            assertThat(c.call("ECHO", "hi")).isEqualTo("$2\r\nhi\r\n");
        }
    }

    @Test
    void quitRepliesThenCloses() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.send("QUIT");
            c.send("PING");
            assertThat(c.read()).isEqualTo("+OK\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void clientReplyOffAndSkip() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.send("CLIENT", "REPLY", "SKIP");
            c.send("ECHO", "skipped");
            assertThat(c.call("ECHO", "seen")).isEqualTo("$4\r\nseen\r\n");
            c.send("CLIENT", "REPLY", "OFF");
            c.send("ECHO", "hidden");
            assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLIENT", "REPLY", "maybe")).isEqualTo("-ERR syntax error\r\n");
        }
    }
}
