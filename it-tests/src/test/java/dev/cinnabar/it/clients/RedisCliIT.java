package dev.cinnabar.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real redis-cli and redis-benchmark (from redis-tools) against a Cinnabar process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class RedisCliIT {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static NodeProcess server;

    @BeforeAll
    static void start() {
        RealRedis.tool("redis-cli");
        server = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Exec.Result cli(final byte[] stdin, final String... args) {
        final String[] cmd = new String[args.length + 3];
        cmd[0] = RealRedis.tool("redis-cli");
        cmd[1] = "-p";
        cmd[2] = Integer.toString(server.port());
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Exec.run(TOOL_TIMEOUT, stdin, cmd);
    }

    private static Exec.Result cli(final String... args) {
        return cli(null, args);
    }

    @Test
    void pingSetGet() {
        assertThat(cli("PING").stdout()).isEqualTo("PONG\n");
        assertThat(cli("SET", "cli:k", "hello world").stdout()).isEqualTo("OK\n");
        assertThat(cli("GET", "cli:k").stdout()).isEqualTo("hello world\n");
        assertThat(cli("--no-raw", "GET", "cli:k").stdout()).isEqualTo("\"hello world\"\n");
        assertThat(cli("--no-raw", "GET", "cli:missing").stdout()).isEqualTo("(nil)\n");
        assertThat(cli("--no-raw", "INCR", "cli:n").stdout()).isEqualTo("(integer) 1\n");
        assertThat(cli("--no-raw", "MGET", "cli:k", "cli:missing").stdout())
            .isEqualTo("1) \"hello world\"\n2) (nil)\n");
        assertThat(cli("-n", "2", "--no-raw", "DBSIZE").stdout()).isEqualTo("(integer) 0\n");
    }

    @Test
    void resp3Session() {
        final Exec.Result r = cli("-3", "--no-raw", "SET", "cli:r3", "v");
        assertThat(r.stdout()).isEqualTo("OK\n");
        assertThat(cli("-3", "--no-raw", "GET", "cli:r3").stdout()).isEqualTo("\"v\"\n");
    }

    @Test
    void errorsAreShownAsRedisShowsThem() {
        final Exec.Result unknown = cli("--no-raw", "NOSUCHCOMMAND", "a");
        assertThat(unknown.stdout())
            .isEqualTo("(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' \n");
        final Exec.Result raw = cli("GET");
        assertThat(raw.stdout() + raw.stderr()).contains("ERR wrong number of arguments for 'get' command");
        cli("SET", "cli:str", "x");
        assertThat(cli("--no-raw", "INCR", "cli:str").stdout())
            .isEqualTo("(error) ERR value is not an integer or out of range\n");
    }

    @Test
    void pipeMode() {
        final int n = 5_000;
        final StringBuilder in = new StringBuilder();
        for (int i = 0; i < n; i++) {
            in.append(new String(RespClient.encode(RespClient.argv("SET", "pipe:" + i, "v" + i)),
                StandardCharsets.US_ASCII));
        }
        in.append(new String(RespClient.encode(RespClient.argv("INCRBY", "pipe:sum", "7")), StandardCharsets.US_ASCII));
        final Exec.Result r = cli(in.toString().getBytes(StandardCharsets.US_ASCII), "--pipe");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).contains("errors: 0, replies: " + (n + 1));
        try (RespClient c = server.client()) {
            assertThat(c.text("GET", "pipe:4999")).isEqualTo("$5\r\nv4999\r\n");
            assertThat(c.text("GET", "pipe:sum")).isEqualTo("$1\r\n7\r\n");
        }
    }

    @Test
    void infoServer() {
        final Exec.Result r = cli("info", "server");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("# Server\r\n").contains("redis_version:7.0.15\r\n")
            .contains("tcp_port:" + server.port() + "\r\n").contains("process_id:" + server.pid() + "\r\n");
    }

    @Test
    void benchmarkSmoke() {
        final Exec.Result r = Exec.run(Duration.ofSeconds(150), RealRedis.tool("redis-benchmark"),
            "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-t", "set,get", "-n", "20000", "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).contains("SET: ").contains("GET: ").doesNotContainIgnoringCase("error");
        assertThat(r.stderr()).as(r.toString()).doesNotContainIgnoringCase("error");
    }
}
