package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;

/**
 * SORT, SORT_RO and MEMORY USAGE argument handling replayed on a real redis-server (when
 * /usr/bin/redis-server is installed) and on the storage families, reply bytes compared one by
 * one, plus the command specs against the server's COMMAND INFO. Orders Redis leaves to its hash
 * table (SORT ... BY nosort of a hashtable set) are not compared.
 */
@Timeout(60)
class SortDifferentialTest {
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    /** In the command texts below, arguments are split at spaces; these stand for a space and "". */
    private static final String SPACE = "\u2420";
    private static final String EMPTY = "\u2205";
    private static final long START_TIMEOUT_MS = 10_000;
    private static Process redis;
    private static Socket socket;
    private static InputStream in;
    private static OutputStream out;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SERVER), "redis-server is not installed");
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (socket == null && System.currentTimeMillis() < deadline && redis.isAlive()) {
            try {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        assertThat(socket).as("redis-server listening").isNotNull();
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (socket != null) {
            socket.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String redis(final String... argv) throws IOException {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (final String a : argv) {
            final byte[] x = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(x);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(b.toByteArray());
        out.flush();
        final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readReply(reply);
        return reply.toString(StandardCharsets.UTF_8);
    }

    private static String line(final ByteArrayOutputStream raw) throws IOException {
        final ByteArrayOutputStream l = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            l.write(c);
        }
        raw.writeBytes(l.toByteArray());
        raw.write('\n');
        final String s = l.toString(StandardCharsets.UTF_8);
        return s.substring(0, s.length() - 1);
    }

    /** Copies one complete RESP reply into {@code raw}. */
    private static void readReply(final ByteArrayOutputStream raw) throws IOException {
        final String head = line(raw);
        final char type = head.charAt(0);
        final long n = type == '*' || type == '$' || type == '~' || type == '%' || type == '='
            ? Long.parseLong(head.substring(1)) : 0;
        if ((type == '$' || type == '=') && n >= 0) {
            raw.writeBytes(in.readNBytes((int) n + 2));
        } else if (type == '*' || type == '~') {
            for (long i = 0; i < n; i++) {
                readReply(raw);
            }
        } else if (type == '%') {
            for (long i = 0; i < 2 * n; i++) {
                readReply(raw);
            }
        }
    }

    private static void replay(final String... commands) throws IOException {
        final StorageTestCall ours = new StorageTestCall(new SortCommands(), new ListCommands(), new SetCommands(),
            new ZSetCommands(), new HashCommands(), new StringCommands(), new KeyCommands(), new MemoryCommands());
        redis("FLUSHALL");
        String previous = "";
        for (final String command : commands) {
            final String[] argv = command.split(" ", -1);
            for (int i = 0; i < argv.length; i++) {
                argv[i] = argv[i].equals(EMPTY) ? "" : argv[i].replace(SPACE, " ");
            }
            assertThat(ours.run(argv)).as(previous + " / " + command).isEqualTo(redis(argv));
            previous = command;
        }
    }

    @Test
    void sortRepliesMatch() throws IOException {
        replay("RPUSH l 3 1 2 10 -4 2.5",
            "MSET w_1 30 w_2 10 w_3 20 w_10 0x10 w_-4 inf w_2.5 \u24207 o_1 one o_2 two o_3 three",
            "HSET h_1 f c", "HSET h_2 f a", "HSET h_3 f b", "HSET h_10 g x",
            "SORT l", "SORT l DESC", "SORT l ALPHA", "SORT l ALPHA DESC", "SORT l BY w_*", "SORT l BY w_* DESC",
            "SORT l BY w_* GET o_* GET #", "SORT l BY h_*->f", "SORT l BY h_*->f ALPHA", "SORT l BY h_*->f ALPHA DESC",
            "SORT l BY h_*->f ALPHA GET # GET h_*->f GET h_*->g GET h_*->", "SORT l GET h_*-> GET o_*->",
            "SORT l BY nosort", "SORT l BY nosort DESC", "SORT l BY nosort LIMIT 2 3", "SORT l BY nosort DESC LIMIT 2 3",
            "SORT l LIMIT -5 2", "SORT l LIMIT 1 -1", "SORT l LIMIT 5 100", "SORT l LIMIT 6 1", "SORT l LIMIT 0 0",
            "SORT l BY nosort LIMIT 6 1", "SORT l BY w_* LIMIT 1 2", "SORT l BY w_* ALPHA LIMIT 1 2",
            "SORT l BY nosort BY w_*", "SORT l BY w_* BY nosort", "SORT l ASC DESC ASC", "SORT l GET # LIMIT 1 1 GET o_*",
            "SORT_RO l BY w_* DESC GET #", "SORT_RO l STORE x", "SORT l LIMIT 1", "SORT l LIMIT a 1", "SORT l BY",
            "SORT l FOO", "SORT nokey", "SORT nokey BY nosort LIMIT 1 1", "SET str x", "SORT str",
            "SORT str LIMIT a b", "SORT str BY nosort STORE d");
    }

    @Test
    void setsZsetsAndStoreMatch() throws IOException {
        replay("SADD s c a b", "SADD n 30 -1 2", "ZADD z 3 c 1 a 2 b 2 bb", "SET w_a 1", "SET w_b 1", "SET w_c 0",
            "MSET v_a y v_b x v_c z",
            "SORT s ALPHA", "SORT s BY w_*", "SORT s BY v_* ALPHA", "SORT s BY nosort STORE d", "LRANGE d 0 -1",
            "SORT n", "SORT n BY nosort", "SORT n BY nosort DESC", "SORT n BY nosort LIMIT 1 1",
            "SORT z", "SORT z ALPHA", "SORT z BY nosort", "SORT z BY nosort DESC", "SORT z BY nosort LIMIT 1 2",
            "SORT z BY nosort DESC LIMIT 1 2", "SORT z BY v_* ALPHA", "SORT z BY w_*", "OBJECT ENCODING z",
            "SET d x", "EXPIRE d 100", "SORT z BY w_* STORE d", "TTL d", "LRANGE d 0 -1", "OBJECT ENCODING d",
            "SORT z GET nothing_* STORE d", "LRANGE d 0 -1", "SORT z LIMIT 0 0 STORE d", "EXISTS d",
            "SORT nokey STORE d", "EXISTS d", "SORT z STORE z", "TYPE z", "LRANGE z 0 -1");
    }

    @Test
    void numericParsingMatches() throws IOException {
        final List<String> cmds = new ArrayList<>(List.of("RPUSH l a"));
        // out-of-range values last: Redis tests errno without clearing it, so ERANGE would stick to later values
        for (final String v : new String[] {"0x10", "0x1p3", SPACE + "7", EMPTY, "inf", "-inf", "nan", "1e", "0x",
            "12abc", "+.5", "-.e1", "1_0", ".5e+2", "7" + SPACE, "1e308", "2.3e-308", "0X1P-2", "-0", "infinity",
            "INFx", "1e-310", "1e400", "4.9e-324"}) {
            cmds.add("SET w_a " + v);
            cmds.add("SORT l BY w_*");
        }
        replay(cmds.toArray(new String[0]));
    }

    @Test
    void memoryUsageArgumentsMatch() throws IOException {
        replay("SET k v", "MEMORY USAGE nokey", "MEMORY USAGE k SAMPLES -1", "MEMORY USAGE k FOO",
            "MEMORY USAGE k SAMPLES", "MEMORY USAGE k SAMPLES x", "MEMORY USAGE nokey SAMPLES 0",
            "MEMORY USAGE nokey SAMPLES x", "MEMORY HELP", "MEMORY PURGE");
    }

    /** Parses COMMAND INFO of one command: [name, arity, flags, first, last, step, acl, ...]. */
    private static List<String> info(final String name) throws IOException {
        final String raw = redis("COMMAND", "INFO", name);
        final List<String> items = new ArrayList<>();
        for (final String l : raw.split("\r\n")) {
            items.add(l);
        }
        return items;
    }

    @Test
    void specsMatchCommandInfo() throws IOException {
        final StorageTestCall ours = new StorageTestCall(new SortCommands(), new MemoryCommands());
        for (final String name : new String[] {"sort", "sort_ro"}) {
            final String raw = String.join("\n", info(name));
            final CommandSpec s = ours.table().lookup(name);
            assertThat(raw).contains("$" + name.length() + "\n" + name + "\n:" + s.arity() + "\n");
            final List<String> flags = new ArrayList<>();
            for (final CommandFlag f : CommandFlag.values()) {
                if (s.has(f) && f.wireName() != null) {
                    flags.add("+" + f.wireName());
                }
            }
            final List<String> acl = new ArrayList<>();
            for (final AclCategory c : AclCategory.values()) {
                if (c.in(s.aclCategories())) {
                    acl.add("+@" + c.wireName());
                }
            }
            assertThat(raw).as(name + " flags").contains("*" + flags.size() + "\n" + String.join("\n", flags)
                + "\n:" + s.firstKey() + "\n:" + s.lastKey() + "\n:" + s.keyStep() + "\n*" + acl.size() + "\n"
                + String.join("\n", acl) + "\n");
            assertThat(raw.split("begin_search", -1)).as(name + " key specs").hasSize(s.keySpecs().size() + 1);
        }
        final String usage = String.join("\n", info("memory"));
        assertThat(usage).contains("memory|usage\n:-3\n*1\n+readonly\n:2\n:2\n:1\n*2\n+@read\n+@slow\n");
    }
}
