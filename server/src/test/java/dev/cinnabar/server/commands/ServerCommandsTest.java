package dev.cinnabar.server.commands;

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

@Timeout(30)
class ServerCommandsTest {
    private Server server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    /** Bytes of COMMAND INFO get ping from a real Redis 7.0.15. */
    @Test
    void commandInfoMatchesRedisBytes() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("COMMAND", "INFO", "get", "ping", "nosuch")).isEqualTo("*3\r\n"
                + "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n"
                + "+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n"
                + "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n"
                + "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
                + "$5\r\nlimit\r\n:0\r\n*0\r\n"
                + "*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*2\r\n"
                + "$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n"
                + "$-1\r\n");
            assertThat(c.call("COMMAND", "INFO", "config|get")).isEqualTo("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n"
                + "*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n"
                + "+@dangerous\r\n*0\r\n*0\r\n*0\r\n");
            assertThat(c.call("COMMAND", "DOCS", "get")).isEqualTo("*2\r\n$3\r\nget\r\n*8\r\n$7\r\nsummary\r\n"
                + "$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
            assertThat(c.call("HELLO", "3")).startsWith("%7");
            assertThat(c.call("COMMAND", "INFO", "get")).startsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly"
                + "\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n"
                + "~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n");
        }
    }

    @Test
    void debugPopulateCreatesPrefixedStringsSizedAndKeepsExistingKeys() throws Exception {
        server = TestServers.start("--enable-debug-command", "yes");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("SET", "key:1", "mine")).isEqualTo("+OK\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "3")).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":3\r\n");
            assertThat(c.call("GET", "key:0")).isEqualTo("$7\r\nvalue:0\r\n");
            assertThat(c.call("GET", "key:1")).isEqualTo("$4\r\nmine\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "2", "p", "10")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "p:1")).isEqualTo("$10\r\nvalue:1\0\0\0\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "1", "q", "3")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "q:0")).isEqualTo("$3\r\nval\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "-1")).isEqualTo("-ERR value is out of range, must be positive\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "x")).isEqualTo("-ERR value is out of range, must be positive\r\n");
            assertThat(c.call("DEBUG", "POPULATE", "1", "k", "-5"))
                .isEqualTo("-ERR value is out of range, must be positive\r\n");
            assertThat(c.call("INFO", "persistence")).contains("rdb_changes_since_last_save:1\r\n");
        }
    }

    @Test
    void slowlogKeepsTheNewestEntriesTruncatedAndRedacted() throws Exception {
        server = TestServers.start("--slowlog-log-slower-than", "0", "--slowlog-max-len", "3");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("SLOWLOG", "RESET")).isEqualTo("+OK\r\n");
            final String[] push = new String[36];
            push[0] = "RPUSH";
            push[1] = "l";
            for (int i = 2; i < push.length; i++) {
                push[i] = Integer.toString(i);
            }
            c.call(push);
            c.call("SET", "k", "x".repeat(130));
            c.call("AUTH", "nobody", "secret");
            final String get = c.call("SLOWLOG", "GET", "-1");
            assertThat(get).startsWith("*3\r\n*6\r\n:3\r\n")
                .contains("*3\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n$10\r\n(redacted)\r\n")
                .contains("$3\r\nSET\r\n$1\r\nk\r\n$146\r\n" + "x".repeat(128) + "... (2 more bytes)\r\n")
                .contains("*32\r\n$5\r\nRPUSH\r\n").contains("$22\r\n... (5 more arguments)\r\n")
                .doesNotContain("secret");
            assertThat(c.call("SLOWLOG", "LEN")).as("max-len 3: the reset entry was pushed out").isEqualTo(":3\r\n");
            assertThat(c.call("SLOWLOG", "GET", "1")).as("SLOWLOG GET and LEN are logged themselves")
                .startsWith("*1\r\n*6\r\n:5\r\n:");
            assertThat(c.call("SLOWLOG", "GET", "-2")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
            assertThat(c.call("SLOWLOG", "GET", "1", "2"))
                .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n");
            assertThat(c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1")).isEqualTo("+OK\r\n");
            c.call("SLOWLOG", "RESET");
            c.call("SET", "a", "b");
            assertThat(c.call("SLOWLOG", "LEN")).as("a negative threshold logs nothing").isEqualTo(":0\r\n");
        }
    }

    @Test
    void commandGetkeysAndListErrors() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("COMMAND", "GETKEYS", "get", "k")).isEqualTo("*1\r\n$1\r\nk\r\n");
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "get", "k"))
                .isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
            assertThat(c.call("COMMAND", "GETKEYS", "foo", "bar")).isEqualTo("-ERR Invalid command specified\r\n");
            assertThat(c.call("COMMAND", "GETKEYS", "ping", "x")).isEqualTo("-ERR The command has no key arguments\r\n");
            assertThat(c.call("COMMAND", "GETKEYS", "get", "a", "b"))
                .isEqualTo("-ERR Invalid number of arguments specified for command\r\n");
            assertThat(c.call("COMMAND", "GETKEYS", "client", "kill"))
                .isEqualTo("-ERR The command has no key arguments\r\n");
            assertThat(c.call("COMMAND", "GETKEYS", "get"))
                .isEqualTo("-ERR wrong number of arguments for 'command|getkeys' command\r\n");
            final String count = c.call("COMMAND", "COUNT");
            assertThat(c.call("COMMAND")).startsWith("*" + count.substring(1).trim() + "\r\n");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*"))
                .isEqualTo("*5\r\n$11\r\nconfig|help\r\n$16\r\nconfig|resetstat\r\n$10\r\nconfig|get\r\n"
                    + "$10\r\nconfig|set\r\n$14\r\nconfig|rewrite\r\n");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x")).isEqualTo("*0\r\n");
            assertThat(c.call("COMMAND", "LIST", "foo")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("DEBUG", "SLEEP", "0")).startsWith("-ERR DEBUG command not allowed.");
        }
    }

    @Test
    void configSetGetRewriteRoundTrip() throws Exception {
        final Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "# keep me\nhz 20\n");
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("-ERR The server is running without a config file\r\n");
        }
        TestServers.stop(server);
        server = dev.cinnabar.server.Main.fromArgs(new String[] {conf.toString(), "--port",
            Integer.toString(freePort()), "--bind", "127.0.0.1"});
        server.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("CONFIG", "SET", "hz", "15", "maxmemory", "2mb")).isEqualTo("+OK\r\n");
            assertThat(c.call("CONFIG", "GET", "hz", "maxmemory"))
                .isEqualTo("*4\r\n$2\r\nhz\r\n$2\r\n15\r\n$9\r\nmaxmemory\r\n$7\r\n2097152\r\n");
            assertThat(c.call("CONFIG", "SET", "hz", "5", "hz"))
                .isEqualTo("-ERR wrong number of arguments for 'config|set' command\r\n");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("+OK\r\n");
            assertThat(c.call("HELLO", "3")).startsWith("%7");
            assertThat(c.call("CONFIG", "GET", "hz")).isEqualTo("%1\r\n$2\r\nhz\r\n$2\r\n15\r\n");
        }
        assertThat(Files.readString(conf)).startsWith("# keep me\nhz 15\n\n# Generated by CONFIG REWRITE\n")
            .contains("\nmaxmemory 2mb\n");
    }

    @Test
    void clientListKillAndInfo() throws Exception {
        server = TestServers.start();
        try (RespTestClient a = new RespTestClient(server.boundPort());
             RespTestClient b = new RespTestClient(server.boundPort())) {
            assertThat(b.call("CLIENT", "SETNAME", "victim")).isEqualTo("+OK\r\n");
            final String list = a.call("CLIENT", "LIST");
            assertThat(list).matches("(?s)\\$\\d+\r\n(id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=-?\\d+ "
                + "name=\\S* age=\\d+ idle=\\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ "
                + "argv-mem=\\d+ multi-mem=0 rbs=\\d+ rbp=\\d+ obl=\\d+ oll=0 omem=0 tot-mem=\\d+ events=rw? "
                + "cmd=\\S+ user=default redir=-1 resp=2\n){2}\r\n");
            assertThat(list).contains("name=victim").contains("cmd=client|list");
            assertThat(a.call("CLIENT", "INFO")).contains("cmd=client|info user=default redir=-1 resp=2\n");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "foo")).isEqualTo("-ERR Unknown client type 'foo'\r\n");
            assertThat(a.call("CLIENT", "LIST", "ID", "abc")).isEqualTo("-ERR Invalid client ID\r\n");
            assertThat(a.call("CLIENT", "KILL", "1.2.3.4:5")).isEqualTo("-ERR No such client\r\n");
            assertThat(a.call("CLIENT", "KILL", "ID", "abc")).isEqualTo("-ERR client-id should be greater than 0\r\n");
            assertThat(a.call("CLIENT", "KILL", "foo", "bar")).isEqualTo("-ERR syntax error\r\n");
            assertThat(a.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")).isEqualTo(":1\r\n");
            assertThat(b.closedByServer()).isTrue();
            TestServers.await(() -> server.clients().size() == 1, 5000);
            assertThat(a.call("CLIENT", "KILL", "TYPE", "normal")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void clientPauseHoldsWritesUntilUnpause() throws Exception {
        server = TestServers.start();
        try (RespTestClient admin = new RespTestClient(server.boundPort());
             RespTestClient w = new RespTestClient(server.boundPort())) {
            assertThat(admin.call("CLIENT", "PAUSE", "100000", "WRITE")).isEqualTo("+OK\r\n");
            assertThat(w.call("GET", "k")).isEqualTo("$-1\r\n");
            w.send("SET", "k", "v");
            w.send("GET", "k");
            TestServers.await(() -> server.pause().heldCount() == 1, 5000);
            assertThat(admin.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(admin.call("CLIENT", "LIST")).contains("flags=b");
            assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
            assertThat(w.read()).isEqualTo("+OK\r\n");
            assertThat(w.read()).isEqualTo("$1\r\nv\r\n");
            assertThat(admin.call("CLIENT", "PAUSE", "abc")).isEqualTo("-ERR timeout is not an integer or out of range\r\n");
            assertThat(admin.call("CLIENT", "PAUSE", "-1")).isEqualTo("-ERR timeout is negative\r\n");
            assertThat(admin.call("CLIENT", "PAUSE", "1", "foo")).isEqualTo("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
            assertThat(admin.call("CLIENT", "PAUSE", "50", "ALL")).isEqualTo("+OK\r\n");
            assertThat(w.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void monitorSeesCommandsInRedisFormat() throws Exception {
        server = TestServers.start();
        try (RespTestClient m = new RespTestClient(server.boundPort());
             RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(m.call("MONITOR")).isEqualTo("+OK\r\n");
            c.call("SET", "k", "a\"b\n");
            c.call("AUTH", "default", "pw");
            c.call("CONFIG", "GET", "hz");
            c.call("ECHO", "done");
            assertThat(m.read()).matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"k\" \"a\\\\\"b\\\\n\"\r\n");
            assertThat(m.read()).endsWith("] \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n");
            assertThat(m.read()).endsWith("] \"ECHO\" \"done\"\r\n");
        }
    }

    @Test
    void timeLastsaveAndShutdownHook() throws Exception {
        server = TestServers.start();
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        server.onShutdown(() -> {
            server.stop();
            stopped.countDown();
        });
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("TIME")).matches("\\*2\r\n\\$10\r\n\\d{10}\r\n\\$\\d\r\n\\d+\r\n");
            assertThat(c.call("LASTSAVE")).isEqualTo(":" + server.lastSaveSeconds() + "\r\n");
            assertThat(c.call("SHUTDOWN", "ABORT")).isEqualTo("-ERR No shutdown in progress.\r\n");
            assertThat(c.call("SHUTDOWN", "SAVE", "NOSAVE")).isEqualTo("-ERR syntax error\r\n");
            c.send("SHUTDOWN", "NOSAVE");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void debugWhenEnabled() throws Exception {
        server = TestServers.start("--enable-debug-command", "yes");
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            c.call("SET", "k", "v");
            c.call("SET", "n", "12345");
            assertThat(c.call("DEBUG", "OBJECT", "k")).matches("\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr "
                + "serializedlength:2 lru:\\d+ lru_seconds_idle:\\d+\r\n");
            assertThat(c.call("DEBUG", "OBJECT", "n")).contains("encoding:int serializedlength:3 ");
            assertThat(c.call("DEBUG", "OBJECT", "nokey")).isEqualTo("-ERR no such key\r\n");
            final long t0 = System.nanoTime();
            assertThat(c.call("DEBUG", "SLEEP", "0.2")).isEqualTo("+OK\r\n");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(200_000_000L);
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("+OK\r\n");
            assertThat(server.config().activeExpireEnabled).isFalse();
            assertThat(c.call("DEBUG", "foo"))
                .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n");
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
