package dev.cinnabar.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinnabar.protocol.util.RawText;
import dev.cinnabar.server.RespTestClient;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reply shapes of ACL GETUSER, LIST and LOG in RESP2 and RESP3, as a real Redis 7.0.15 sent
 * them for the same commands.
 */
class AclCommandsTest {
    private Server server;

    @AfterEach
    void stop() throws Exception {
        TestServers.stop(server);
    }

    @Test
    void getuserIsAnArrayInResp2AndAMapWithASetInResp3() throws Exception {
        server = TestServers.start();
        try (RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(c.call("ACL", "SETUSER", "x", "on", ">p1", "~k*", "%R~r*", "&ch*", "+@hash", "-hset",
                "(~s* +set)")).isEqualTo("+OK\r\n");
            final String selector = "*6\r\n$8\r\ncommands\r\n$10\r\n-@all +set\r\n$4\r\nkeys\r\n$3\r\n~s*\r\n"
                + "$8\r\nchannels\r\n$0\r\n\r\n";
            assertThat(c.call("ACL", "GETUSER", "x")).isEqualTo("*12\r\n$5\r\nflags\r\n*1\r\n$2\r\non\r\n"
                + "$9\r\npasswords\r\n*1\r\n$64\r\nf64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a\r\n"
                + "$8\r\ncommands\r\n$18\r\n-@all +@hash -hset\r\n$4\r\nkeys\r\n$9\r\n~k* %R~r*\r\n"
                + "$8\r\nchannels\r\n$4\r\n&ch*\r\n$9\r\nselectors\r\n*1\r\n" + selector);
            assertThat(c.call("ACL", "LIST")).isEqualTo("*2\r\n$34\r\nuser default on nopass ~* &* +@all\r\n"
                + "$154\r\nuser x on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~k* %R~r* "
                + "resetchannels &ch* -@all +@hash -hset (~s* resetchannels -@all +set)\r\n");
            assertThat(c.call("ACL", "GETUSER", "nosuch")).isEqualTo("$-1\r\n");
            assertThat(c.call("HELLO", "3")).startsWith("%7\r\n");
            assertThat(c.call("ACL", "GETUSER", "default")).isEqualTo("%6\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n"
                + "$6\r\nnopass\r\n$9\r\npasswords\r\n*0\r\n$8\r\ncommands\r\n$5\r\n+@all\r\n$4\r\nkeys\r\n$2\r\n~*\r\n"
                + "$8\r\nchannels\r\n$2\r\n&*\r\n$9\r\nselectors\r\n*0\r\n");
            assertThat(c.call("ACL", "GETUSER", "nosuch")).isEqualTo("_\r\n");
        }
    }

    @Test
    void deniedCommandsAreLoggedWithRedisFields() throws Exception {
        server = TestServers.start();
        try (RespTestClient admin = new RespTestClient(server.boundPort());
             RespTestClient c = new RespTestClient(server.boundPort())) {
            admin.call("ACL", "SETUSER", "r", "on", ">pw", "~k*", "+get");
            assertThat(c.call("AUTH", "r", "pw")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "other"))
                .isEqualTo("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n");
            assertThat(c.call("SET", "k", "v")).isEqualTo("-NOPERM this user has no permissions to run the 'set' command\r\n");
            final String log = admin.call("ACL", "LOG");
            assertThat(log).startsWith("*2\r\n*14\r\n$5\r\ncount\r\n:1\r\n$6\r\nreason\r\n$7\r\ncommand\r\n$7\r\ncontext\r\n"
                + "$8\r\ntoplevel\r\n$6\r\nobject\r\n$3\r\nset\r\n$8\r\nusername\r\n$1\r\nr\r\n$11\r\nage-seconds\r\n")
                .contains("$6\r\nobject\r\n$5\r\nother\r\n").contains(" cmd=set user=r ");
            assertThat(admin.call("ACL", "LOG", "RESET")).isEqualTo("+OK\r\n");
            assertThat(admin.call("ACL", "LOG")).isEqualTo("*0\r\n");
            assertThat(admin.call("ACL", "DELUSER", "r")).isEqualTo(":1\r\n");
            assertThat(admin.call("CLIENT", "LIST")).doesNotContain("user=r ");
        }
    }

    /** Names and passwords are binary-safe as in Redis: bytes that are not UTF-8 neither merge nor change. */
    @Test
    void usernamesAndPasswordsKeepTheirBytes() throws Exception {
        server = TestServers.start();
        final String ff = raw(0xff);
        final String fe = raw(0xfe);
        try (RespTestClient admin = new RespTestClient(server.boundPort());
             RespTestClient c = new RespTestClient(server.boundPort())) {
            assertThat(admin.call("ACL", "SETUSER", ff, "on", ">p" + fe, "+@all", "~*")).isEqualTo("+OK\r\n");
            assertThat(admin.call("ACL", "SETUSER", fe, "on", "nopass")).isEqualTo("+OK\r\n");
            assertThat(admin.call("ACL", "USERS")).isEqualTo("*3\r\n$7\r\ndefault\r\n$1\r\n" + fe + "\r\n$1\r\n"
                + ff + "\r\n");
            assertThat(c.call("AUTH", ff, "p" + ff)).startsWith("-WRONGPASS");
            assertThat(c.call("AUTH", ff, "p" + fe)).isEqualTo("+OK\r\n");
            assertThat(c.call("ACL", "WHOAMI")).isEqualTo("$1\r\n" + ff + "\r\n");
            assertThat(admin.call("ACL", "LIST")).contains("$" + ("user " + fe + " on nopass resetchannels -@all").length()
                + "\r\nuser " + fe + " on nopass resetchannels -@all\r\n");
            assertThat(admin.call("ACL", "DELUSER", fe)).isEqualTo(":1\r\n");
            assertThat(admin.call("ACL", "USERS")).isEqualTo("*2\r\n$7\r\ndefault\r\n$1\r\n" + ff + "\r\n");
        }
    }

    private static String raw(final int b) {
        return String.valueOf(RawText.rawByteChar((byte) b));
    }
}
