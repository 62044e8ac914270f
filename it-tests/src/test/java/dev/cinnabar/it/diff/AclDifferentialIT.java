package dev.cinnabar.it.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ACL commands and permission errors played against a real redis-server 7.0 and against
 * Cinnabar, connection by connection, reply by reply, compared byte for byte.
 *
 * <p>Script lines: {@code N> CMD args} sends on connection N (words split at spaces, no quoting);
 * {@code N closed} checks that the server closed connection N; {@code N~ CMD args} sends like
 * {@code N>} and compares each line of the reply with its words sorted, for descriptions listing
 * several single commands, which Redis orders by its hash table's random seed. {@code \\xHH} in a word is
 * the byte HH. Each scenario
 * starts from fresh
 * connections (each answered a PING first) and ends with ACL LOG RESET and its users deleted.
 *
 * <p>What cannot match is normalized: an ACL LOG entry's age-seconds and the volatile fields of
 * its client-info (id, address, buffer sizes; its cmd= and user= stay), and HELLO's client id.
 */
class AclDifferentialIT extends DifferentialServers {
    private static final int CONNECTIONS = 4;
    private static final Pattern AGE = Pattern.compile("age-seconds\r\n(\\$\\d+\r\n[^\r]*|,[^\r]*)\r\n");
    private static final Pattern CLIENT_ID = Pattern.compile("\\$2\r\nid\r\n:\\d+");
    private static final Pattern CLIENT_INFO = Pattern.compile("\\$\\d+\r\nid=[^\r]*( cmd=[^ ]*)( user=[^ ]*)[^\r]*");
    static Stream<Arguments> scenarios() {
        return Stream.of(
            Arguments.of("setuser and getuser", """
                1> ACL SETUSER x on >p1 ~k* %R~r* &ch* +@hash -hset (~s* +set)
                1> ACL GETUSER x
                1> ACL LIST
                1> ACL SETUSER y +@all -get
                1> ACL SETUSER z +@all -@string +get
                1> ACL SETUSER q3 +@all -@dangerous -@admin
                1> ACL SETUSER q4 +config -config|set
                1> ACL SETUSER q5 +select|0
                1> ACL SETUSER q6 %RW~a %R~a ~a %W~b %R~b %R
                1> ACL SETUSER q7 (~a +get) (%R~b +set) skip-sanitize-payload
                1> ACL SETUSER q8 ~a &b allchannels allkeys reset
                1> ACL LIST
                1> ACL USERS
                1> ACL GETUSER q7
                1> ACL GETUSER nosuch
                1> HELLO 3
                1> ACL GETUSER x
                1> ACL GETUSER default
                1> ACL DELUSER y z nosuch
                1> ACL DELUSER default
                1> ACL USERS
                """),
            Arguments.of("names and passwords that are not UTF-8", """
                1> ACL SETUSER \\xff on >p\\xfe +@all ~*
                1> ACL SETUSER \\xfe on nopass
                1> ACL SETUSER caf\\xc3\\xa9 on nopass +get ~k\\xe9*
                1> ACL USERS
                1> ACL LIST
                2> AUTH \\xff p\\xff
                2> AUTH \\xff p\\xfe
                2> ACL WHOAMI
                3> AUTH caf\\xc3\\xa9 x
                3> GET k\\xe9z
                3> GET kz
                1> ACL GETUSER caf\\xc3\\xa9
                1> ACL DELUSER \\xfe
                1> ACL USERS
                """),
            Arguments.of("refused rules", """
                1> ACL SETUSER e foo
                1> ACL SETUSER e +nosuchcmd
                1> ACL SETUSER e +@nosuch
                1> ACL SETUSER e +config|nosuch
                1> ACL SETUSER e #abc
                1> ACL SETUSER e !abc
                1> ACL SETUSER e <nothere
                1> ACL SETUSER e %X~a
                1> ACL SETUSER e %~a
                1> ACL SETUSER e (+get
                1> ACL SETUSER e (~a +get) (clearselectors)
                1> ACL SETUSER e (~a +nosuch)
                1> ACL SETUSER e ~a allkeys ~b
                1> ACL SETUSER e allchannels &a
                1> ACL SETUSER e -get|x
                1> ACL SETUSER e +get|x|y
                1> ACL SETUSER e +config|get|x
                1> ACL SETUSER e +@all|x
                1> ACL SETUSER e +get|
                1> ACL USERS
                1> ACL SETUSER e on +get
                1> ACL SETUSER e +set +nosuch
                1> ACL LIST
                """),
            Arguments.of("other subcommands", """
                1> ACL WHOAMI
                1> ACL CAT
                1> ACL CAT nosuch
                1> ACL CAT hash extra
                1> ACL GENPASS 0
                1> ACL GENPASS 4097
                1> ACL GENPASS abc
                1> ACL LOG 1 2
                1> ACL LOG foo
                1> ACL LOG -1
                1> ACL LOAD
                1> ACL SAVE
                1> ACL HELP
                1> ACL NOSUCH
                1> ACL DRYRUN nosuch get x
                1> ACL DRYRUN default get x
                1> ACL DRYRUN default nosuch
                1> ACL DRYRUN default get
                1> ACL SETUSER d ~k* &ch* +get +config|get +select|0 +publish
                1> ACL DRYRUN d get other
                1> ACL DRYRUN d hset k1 a b
                1> ACL DRYRUN d config get x
                1> ACL DRYRUN d config set x y
                1> ACL DRYRUN d select 0
                1> ACL DRYRUN d select 1
                1> ACL DRYRUN d publish other m
                1> ACL DRYRUN d publish ch1 m
                1> COMMAND INFO acl|cat
                1> COMMAND INFO acl|deluser
                1> COMMAND INFO acl|dryrun
                1> COMMAND INFO acl|genpass
                1> COMMAND INFO acl|getuser
                1> COMMAND INFO acl|help
                1> COMMAND INFO acl|list
                1> COMMAND INFO acl|load
                1> COMMAND INFO acl|log
                1> COMMAND INFO acl|save
                1> COMMAND INFO acl|setuser
                1> COMMAND INFO acl|users
                1> COMMAND INFO acl|whoami
                """),
            Arguments.of("permission errors and the log", """
                1> ACL SETUSER r on >pw ~k* %R~ro* %W~wo* &ch* -@all +get +set +copy +publish +subscribe +psubscribe +multi +exec +bitfield +client|id +sort +sort_ro
                2> AUTH r wrong
                2> AUTH nosuch pw
                2> AUTH r pw
                2> ACL WHOAMI
                2> GET k1
                2> GET other
                2> SET other 1
                2> GET ro1
                2> SET ro1 x
                2> SET wo1 x
                2> SET wo1 x GET
                2> GET wo1
                2> COPY k1 wo1
                2> COPY ro1 k1
                2> COPY k1 ro1
                2> BITFIELD ro1 GET u8 0
                2> BITFIELD ro1 SET u8 0 1
                2> SORT k1 STORE wo1
                2> SORT k1 STORE wo1 STORE ro1
                2> SORT k1 BY nosort STORE other
                2> SORT k1 LIMIT 0 1 GET # STORE k2
                2> SORT_RO ro1 BY nosort
                2> SORT k1 BY w_*
                2> SORT_RO k1 GET #
                1> ACL SETUSER s2 on >p %R~* ~k* +sort +sort_ro
                1> ACL SETUSER s5 on >p ~k* +sort +sort_ro (%R~* -@all +sort_ro)
                3> AUTH s2 p
                3> SORT k1 GET # BY w_*
                4> AUTH s5 p
                4> SORT k1 GET #
                4> SORT_RO k1 GET # BY x*
                4> MULTI
                4> SORT_RO k1 GET #
                4> SORT k1 BY w_*
                4> EXEC
                2> INCR k1
                2> PUBLISH other x
                2> PUBLISH ch1 x
                2> CLIENT LIST
                1> ACL LOG
                1> ACL LOG 2
                2> SUBSCRIBE ch1 other
                2> PSUBSCRIBE c*
                2> PSUBSCRIBE ch*
                2> INCR k1
                1> ACL LOG 3
                1> ACL LOG RESET
                1> ACL LOG
                """),
            Arguments.of("transactions", """
                1> ACL SETUSER t on >pw ~k* &ch* +get +multi +exec +incr +publish
                2> AUTH t pw
                2> MULTI
                2> SET k1 v
                2> GET k1
                2> EXEC
                2> MULTI
                2> GET other
                2> EXEC
                2> MULTI
                2> INCR k1
                2> PUBLISH ch1 m
                2> GET k1
                1> ACL SETUSER t -incr resetchannels
                2> EXEC
                1> ACL SETUSER t -exec
                2> MULTI
                2> EXEC
                1> ACL LOG
                """),
            Arguments.of("users and their connections", """
                1> ACL SETUSER u on >p +@all ~* &ch1
                2> AUTH u p
                2> SUBSCRIBE ch1
                1> ACL SETUSER u off
                2> PING
                3> AUTH u p
                1> ACL SETUSER u on resetchannels &other
                2 closed
                3> AUTH u p
                1> CLIENT KILL USER u
                1> CLIENT KILL USER nosuch
                3 closed
                4> AUTH u p
                1> ACL DELUSER u
                4 closed
                1> ACL SETUSER u2 on nopass +@all ~*
                1> AUTH u2 anything
                1> ACL WHOAMI
                1> AUTH default x
                1> ACL LOG
                """),
            Arguments.of("acl-pubsub-default and acllog-max-len", """
                1> CONFIG SET acl-pubsub-default allchannels
                1> ACL SETUSER p1 on (~x +get)
                1> ACL LIST
                1> ACL SETUSER p1 reset
                1> ACL GETUSER p1
                1> CONFIG SET acl-pubsub-default resetchannels
                1> ACL SETUSER p2
                1> ACL LIST
                1> CONFIG SET acllog-max-len 2
                1> ACL SETUSER lim on nopass -@all
                2> AUTH lim x
                2> GET a
                2> SET a b
                2> INCR a
                2> DEL a
                1> ACL LOG
                1> CONFIG SET acllog-max-len 128
                """),
            Arguments.of("requirepass is the default user", """
                1> CONFIG SET requirepass foo
                2> PING
                2> AUTH bar
                2> AUTH foo
                2> PING
                3> HELLO 3 AUTH default bar
                3> HELLO 2 AUTH default foo
                1> ACL GETUSER default
                1> ACL SETUSER default resetpass >other
                4> AUTH foo
                4> AUTH other
                4> CONFIG SET requirepass
                1> ACL LIST
                1> ACL LOG
                1> RESET
                1> PING
                """),
            Arguments.of("users are listed in the byte order of their names", """
                1> ACL SETUSER zed
                1> ACL SETUSER alice on nopass
                1> ACL SETUSER Bob
                1> ACL SETUSER 1x
                1> ACL SETUSER _u
                1> ACL SETUSER a
                1> ACL SETUSER \u00e9t\u00e9
                1> ACL SETUSER \uff01
                1> ACL SETUSER \ud83d\ude00
                1> ACL SETUSER Zed
                1> ACL USERS
                1> ACL LIST
                1> ACL DELUSER alice
                1> ACL USERS
                """),
            Arguments.of("Redis commands not implemented here in rules", """
                1> ACL SETUSER sentinel-user ON >pass allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill
                1~ ACL LIST
                1~ ACL GETUSER sentinel-user
                1> ACL DRYRUN sentinel-user ping
                1> ACL DRYRUN sentinel-user get k
                1> ACL DRYRUN sentinel-user client setname x
                1> ACL SETUSER s1 +@all -eval
                1> ACL SETUSER s2 -@all +@scripting
                1> ACL SETUSER s3 +@all -@scripting
                1> ACL SETUSER s4 +@stream -xadd
                1> ACL SETUSER s5 +@all -@stream +xlen
                1> ACL SETUSER s6 +eval|foo +EVAL|bar
                1> ACL SETUSER s7 +script -script|flush
                1> ACL SETUSER s8 +@all -cluster|nodes (~k* +fcall_ro)
                1> ACL SETUSER s9 +function|stats +latency|doctor +module|list -function
                1> ACL DELUSER sentinel-user
                1~ ACL LIST
                1> ACL GETUSER s8
                1> ACL SETUSER s10 +@slow -@scripting
                1~ ACL GETUSER s10
                1> ACL SETUSER e +script|nosuch
                1> ACL SETUSER e -eval|x
                1> ACL SETUSER e +eval|a|b
                1> ACL SETUSER e +script|kill|x
                1> ACL SETUSER e +evalx
                1> ACL SETUSER e +xgroup|
                1> ACL USERS
                1> ACL DRYRUN s6 get x
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameBytesAsRedis(final String name, final String script) {
        final List<String> theirs = play(redis, script);
        final List<String> mine = play(ours, script);
        for (int i = 0; i < theirs.size(); i++) {
            assertThat(i < mine.size() ? mine.get(i) : "(missing)").as("step %d of '%s'", i, name)
                .isEqualTo(theirs.get(i));
        }
        assertThat(mine).hasSameSizeAs(theirs);
    }

    /** Plays the script on a clean server state and returns each step as "line => normalized reply". */
    private static List<String> play(final NodeProcess node, final String script) {
        final List<String> out = new ArrayList<>();
        final RespClient[] conns = new RespClient[CONNECTIONS + 1];
        try {
            for (int i = 1; i <= CONNECTIONS; i++) {
                conns[i] = RespClient.connect(node.port(), Duration.ofSeconds(10));
                // the server has the session before the script starts (requirepass applies to later ones)
                conns[i].call("PING");
            }
            for (final String raw : script.strip().split("\n")) {
                final String line = raw.strip();
                final int n = line.charAt(0) - '0';
                if (line.endsWith(" closed")) {
                    out.add(line + " => " + conns[n].closedByPeer(Duration.ofSeconds(5)));
                    continue;
                }
                final List<byte[]> argv = new ArrayList<>();
                for (final String word : line.substring(3).split(" ")) {
                    argv.add(scriptWord(word));
                }
                final String reply = normalize(new String(conns[n].call(argv), StandardCharsets.ISO_8859_1));
                out.add(line + " => " + (line.charAt(1) == '~' ? sortWordsOfEachLine(reply) : reply));
            }
        } finally {
            for (final RespClient c : conns) {
                if (c != null) {
                    c.close();
                }
            }
            cleanUp(node);
        }
        return out;
    }

    private static void cleanUp(final NodeProcess node) {
        try (RespClient admin = RespClient.connect(node.port())) {
            String users = new String(admin.call("AUTH", "foo"), StandardCharsets.ISO_8859_1);
            admin.call("AUTH", "other");
            admin.call("ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all");
            admin.call("CONFIG", "SET", "requirepass", "");
            admin.call("CONFIG", "SET", "acl-pubsub-default", "resetchannels");
            admin.call("CONFIG", "SET", "acllog-max-len", "128");
            users = new String(admin.call("ACL", "USERS"), StandardCharsets.ISO_8859_1);
            for (final String u : users.split("\r\n")) {
                if (!u.isEmpty() && !u.startsWith("*") && !u.startsWith("$") && !u.equals("default")) {
                    admin.call(List.of("ACL".getBytes(StandardCharsets.US_ASCII),
                        "DELUSER".getBytes(StandardCharsets.US_ASCII), u.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            admin.call("ACL", "LOG", "RESET");
            admin.call("FLUSHALL");
        }
    }

    /** A script word as bytes: UTF-8, except that {@code \\xHH} stands for the byte HH (names that are not UTF-8). */
    private static byte[] scriptWord(final String word) {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        int i = 0;
        while (i < word.length()) {
            if (word.startsWith("\\x", i)) {
                b.write(Integer.parseInt(word.substring(i + 2, i + 4), 16));
                i += 4;
            } else {
                final int escape = word.indexOf("\\x", i);
                final int end = escape < 0 ? word.length() : escape;
                b.writeBytes(word.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return b.toByteArray();
    }

    /** A normalized reply with the words of each of its lines sorted (single commands in hash order). */
    private static String sortWordsOfEachLine(final String normalized) {
        final List<String> lines = new ArrayList<>();
        for (final String l : normalized.split(Pattern.quote("\\r\\n"), -1)) {
            final List<String> words = new ArrayList<>(List.of(l.split(" ", -1)));
            words.sort(null);
            lines.add(String.join(" ", words));
        }
        return String.join("\\r\\n", lines);
    }

    /**
     * Every command and subcommand name of Redis's COMMAND LIST is a valid rule here too, and a
     * user allowed only that one, or everything but that one, reads back the same: Cinnabar's own
     * commands and the Redis ones it does not implement alike.
     */
    @Test
    void everyRedisCommandNameIsAcceptedInRules() {
        final List<String> names;
        try (RespClient c = RespClient.connect(redis.port())) {
            names = bulks(c.call("COMMAND", "LIST"));
        }
        assertThat(names).hasSizeGreaterThan(300);
        final StringBuilder script = new StringBuilder();
        for (final String name : names) {
            script.append("1> ACL SETUSER one reset +").append(name).append('\n');
            script.append("1> ACL GETUSER one\n");
            script.append("1> ACL SETUSER one reset +@all -").append(name).append('\n');
            script.append("1> ACL LIST\n");
        }
        final List<String> theirs = play(redis, script.toString());
        final List<String> mine = play(ours, script.toString());
        assertThat(mine).isEqualTo(theirs);
    }

    /**
     * ACL CAT of every category Redis has lists the same commands and subcommands (order aside: Redis
     * walks its command dictionary), so every command's categories are Redis's.
     */
    @Test
    void everyCategoryHoldsRedissCommands() {
        final List<String> categories;
        try (RespClient c = RespClient.connect(redis.port())) {
            categories = bulks(c.call("ACL", "CAT"));
        }
        assertThat(categories).hasSize(21);
        try (RespClient theirs = RespClient.connect(redis.port()); RespClient mine = RespClient.connect(ours.port())) {
            assertThat(bulks(mine.call("ACL", "CAT"))).isEqualTo(categories);
            for (final String category : categories) {
                final List<String> expected = new ArrayList<>(bulks(theirs.call("ACL", "CAT", category)));
                final List<String> actual = new ArrayList<>(bulks(mine.call("ACL", "CAT", category)));
                expected.sort(null);
                actual.sort(null);
                assertThat(actual).as(category).isEqualTo(expected);
            }
        }
    }

    /** The bulk strings of a flat RESP array. */
    private static List<String> bulks(final byte[] reply) {
        final List<String> out = new ArrayList<>();
        for (final String l : new String(reply, StandardCharsets.UTF_8).split("\r\n")) {
            if (!l.isEmpty() && l.charAt(0) != '*' && l.charAt(0) != '$') {
                out.add(l);
            }
        }
        return out;
    }

    static String normalize(final String reply) {
        final String aged = CLIENT_ID.matcher(AGE.matcher(reply).replaceAll("age-seconds\r\nAGE\r\n"))
            .replaceAll("\\$2\r\nid\r\n:ID");
        final Matcher m = CLIENT_INFO.matcher(aged);
        final StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement("CLIENT" + m.group(1) + m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString().replace("\r\n", "\\r\\n");
    }
}
