package dev.cinnabar.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.config.ConfigDefinitions;
import dev.cinnabar.server.config.ConfigException;
import dev.cinnabar.server.config.ConfigFileParser;
import dev.cinnabar.server.config.ConfigTable;
import dev.cinnabar.server.config.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The permission check over a user's selectors, the users registry and the aclfile loader. */
class AclCheckTest {
    private Acl acl;

    @BeforeEach
    void setUp() {
        final ServerConfig c = new ServerConfig();
        final ConfigTable t = ConfigDefinitions.table(c);
        acl = new Server(c, t).acl();
    }

    private int check(final String user, final String... argv) {
        final Args args = Args.of(argv);
        CommandSpec spec = acl.index().table().lookup(argv[0]);
        if (spec.isContainer()) {
            spec = spec.subcommand(args);
        }
        return acl.check(acl.user(user), spec, args);
    }

    @Test
    void defaultUserIsUnrestrictedUntilRulesNarrowIt() {
        assertThat(acl.defaultUser().unrestricted()).isTrue();
        assertThat(acl.setUser("default", List.of("-flushall"))).isNull();
        assertThat(acl.defaultUser().unrestricted()).isFalse();
        assertThat(check("default", "FLUSHALL")).isEqualTo(AclSelector.DENIED_CMD);
        assertThat(check("default", "GET", "x")).isEqualTo(AclSelector.OK);
    }

    @Test
    void keyChannelAndCommandDenialsReportTheArgument() {
        assertThat(acl.setUser("r", List.of("on", "~k*", "%R~ro*", "%W~wo*", "&ch*", "+get", "+set", "+copy",
            "+publish", "+subscribe", "+psubscribe", "+bitfield", "+sort", "+sort_ro"))).isNull();
        assertThat(check("r", "GET", "k1")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "GET", "other")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(acl.deniedIndex()).isEqualTo(1);
        assertThat(check("r", "INCR", "k1")).isEqualTo(AclSelector.DENIED_CMD);
        // SET without GET only writes: a write-only pattern is enough (variable key-spec flags)
        assertThat(check("r", "SET", "wo1", "v")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "SET", "wo1", "v", "GET")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(check("r", "BITFIELD", "ro1", "GET", "u8", "0")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "BITFIELD", "ro1", "SET", "u8", "0", "1")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(check("r", "COPY", "ro1", "wo1")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "COPY", "k1", "ro1")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(acl.deniedIndex()).isEqualTo(2);
        // SORT's STORE key is found as sortGetKeys finds it (the last STORE, options' arguments skipped)
        assertThat(check("r", "SORT", "k1", "STORE", "wo1")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "SORT", "k1", "STORE", "wo1", "STORE", "ro1")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(acl.deniedIndex()).isEqualTo(5);
        assertThat(check("r", "SORT", "k1", "BY", "STORE", "LIMIT", "0", "1")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "SORT", "ro1", "GET", "#", "STORE", "other")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(check("r", "SORT_RO", "ro1", "BY", "x")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "PUBLISH", "ch1", "m")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "PUBLISH", "other", "m")).isEqualTo(AclSelector.DENIED_CHANNEL);
        assertThat(check("r", "SUBSCRIBE", "ch1", "other")).isEqualTo(AclSelector.DENIED_CHANNEL);
        assertThat(acl.deniedIndex()).isEqualTo(2);
        assertThat(check("r", "PSUBSCRIBE", "ch*")).isEqualTo(AclSelector.OK);
        assertThat(check("r", "PSUBSCRIBE", "c*")).isEqualTo(AclSelector.DENIED_CHANNEL);
    }

    @Test
    void aSelectorAllowsWhatTheRootRefuses() {
        assertThat(acl.setUser("s", List.of("on", "~k*", "+get", "(~s* +set +get)"))).isNull();
        assertThat(check("s", "SET", "s1", "v")).isEqualTo(AclSelector.OK);
        assertThat(check("s", "GET", "s1")).isEqualTo(AclSelector.OK);
        assertThat(check("s", "SET", "k1", "v")).isEqualTo(AclSelector.DENIED_KEY);
        assertThat(check("s", "DEL", "k1")).isEqualTo(AclSelector.DENIED_CMD);
        assertThat(acl.dryRun(acl.user("s"), acl.index().table().lookup("get"), Args.of("GET", "zz")))
            .isEqualTo("This user has no permissions to access the 'zz' key");
    }

    @Test
    void failedSetuserChangesNothing() {
        assertThat(acl.setUser("x", List.of("on", "+get"))).isNull();
        assertThat(acl.setUser("x", List.of("+set", "+nosuch"))).isEqualTo(
            "ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        assertThat(acl.userLines()).contains("user x on resetchannels -@all +get");
        assertThat(acl.setUser("y", List.of("+nosuch"))).isNotNull();
        assertThat(acl.user("y")).isNull();
        assertThat(acl.setUser("z", List.of("(~a", "+get"))).isEqualTo(
            "ERR Unmatched parenthesis in acl selector starting at '(~a'.");
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        acl.requirepass("s3cret");
        assertThat(acl.defaultUser().nopass()).isFalse();
        assertThat(acl.defaultUser().passwordMatches("s3cret".getBytes())).isTrue();
        acl.requirepass("");
        assertThat(acl.userLines()).containsExactly("user default on nopass ~* &* +@all");
    }

    @Test
    void startUpTakesConfigUsersOrAnAclFileNeverBoth() throws Exception {
        final ServerConfig c = new ServerConfig();
        final ConfigTable t = ConfigDefinitions.table(c);
        t.apply(ConfigFileParser.parse("aclfile /nonexistent/users.acl\nuser a on >x +get\n"));
        final Acl both = new Server(c, t).acl();
        assertThat(both.loadAtStartup(t.userLines())).startsWith("Configuring Redis with users defined in "
            + "redis.conf and at the same setting an ACL file path is invalid.");
        assertThat(both.loadAtStartup(List.of())).isEqualTo("Aborting Redis startup because of ACL errors: Error "
            + "loading ACLs, opening file '/nonexistent/users.acl': No such file or directory");
        assertThat(acl.loadAtStartup(List.of(List.of("a", "on", "+nosuch")))).startsWith(
            "Error loading ACL rule '+nosuch' for the user named 'a': Unknown command or category name in ACL");
        // as a real 7.0.15 lists it: a "user default" line starts from reset, hence sanitize-payload
        assertThat(acl.loadAtStartup(List.of(List.of("default", "on", ">pw", "+@all"), List.of("b", "on"))))
            .isNull();
        assertThat(acl.userLines()).containsExactly("user b on resetchannels -@all",
            "user default on sanitize-payload #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 "
                + "resetchannels +@all");
        assertThatThrownBy(() -> ConfigDefinitions.table(new ServerConfig())
            .apply(ConfigFileParser.parse("user a on\nuser a off\n"))).isInstanceOf(ConfigException.class)
            .hasMessageContaining("Error in user declaration 'a': Duplicate user found. A user can only be defined "
                + "once in config files");
    }

    @Test
    void aclFileIsAllOrNothingWithRedisErrors() {
        assertThat(acl.loadFile("/f.acl", "user a on >x +get ~*\n\nuser b off\n")).isNull();
        assertThat(acl.userLines()).containsExactly(
            "user a on #2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 ~* resetchannels -@all +get",
            "user b off resetchannels -@all", "user default on nopass ~* &* +@all");
        assertThat(acl.loadFile("/f.acl", "user a on\n# comment\nuser  b off\nuser c +nosuch\n")).isEqualTo(
            "/f.acl:2 should start with user keyword followed by the username. /f.acl:3: Syntax error. "
                + "/f.acl:4: Error in applying operation '+nosuch': Unknown command or category name in ACL. "
                + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        assertThat(acl.loadFile("/f.acl", "user a on\nuser a off\n")).isEqualTo("WARNING: Duplicate user 'a' found "
            + "on line 2. WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        assertThat(acl.user("b")).isNotNull();
    }
}
