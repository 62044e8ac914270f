package dev.cinnabar.server.multi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;

/**
 * WATCH against expiry, as Redis 7.0 decides it: a key that expires after WATCH aborts EXEC, a key
 * already expired at WATCH does not when it is then deleted, and after that deletion it is an
 * ordinary absent key that a write dirties. Active expiry is off so only the commands here delete.
 */
@Timeout(30)
class WatchExpiryTest {
    private Server server;
    private RespTestClient a;
    private RespTestClient b;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServers.start("--enable-debug-command", "yes");
        a = new RespTestClient(server.boundPort());
        b = new RespTestClient(server.boundPort());
        assertThat(a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("+OK\r\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        a.close();
        b.close();
        TestServers.stop(server);
    }

    private void setExpiredKey(final String key) throws Exception {
        assertThat(a.call("SET", key, "1", "PX", "1")).isEqualTo("+OK\r\n");
        Thread.sleep(5);
    }

    private String execPing() throws Exception {
        assertThat(a.call("MULTI")).isEqualTo("+OK\r\n");
        assertThat(a.call("PING")).isEqualTo("+QUEUED\r\n");
        return a.call("EXEC");
    }

    @Test
    void deletingAKeyAlreadyExpiredAtWatchIsNoChange() throws Exception {
        setExpiredKey("y");
        a.call("WATCH", "y");
        assertThat(b.call("GET", "y")).as("the lookup deletes the expired key").isEqualTo("$-1\r\n");
        assertThat(execPing()).isEqualTo("*1\r\n+PONG\r\n");
    }

    @Test
    void afterItsDeletionAWriteToThatKeyAbortsExec() throws Exception {
        setExpiredKey("y");
        a.call("WATCH", "y");
        b.call("GET", "y");
        b.call("SET", "y", "2");
        assertThat(execPing()).isEqualTo("*-1\r\n");
    }

    @Test
    void aWriteOverTheExpiredKeyAbortsExec() throws Exception {
        setExpiredKey("y");
        a.call("WATCH", "y");
        b.call("SET", "y", "2");
        assertThat(execPing()).isEqualTo("*-1\r\n");
    }

    @Test
    void aKeyThatExpiresAfterWatchAbortsExec() throws Exception {
        assertThat(a.call("SET", "x", "1", "PX", "20")).isEqualTo("+OK\r\n");
        a.call("WATCH", "x");
        Thread.sleep(40);
        assertThat(execPing()).as("nothing deleted it, EXEC itself sees the expiry").isEqualTo("*-1\r\n");
    }
}
