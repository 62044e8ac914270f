package dev.cinnabar.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The rule language of ACL SETUSER applied to one user, and how ACL LIST describes the result.
 * The expected descriptions were produced by a real Redis 7.0.15 for the same rules (where Redis
 * lists several single commands, its order follows its hash table; ours is declaration order).
 */
class AclRulesTest {
    /** A data node's index: its commands plus the Redis commands that only ACL rules may name. */
    private static final AclCommandIndex INDEX =
        new AclCommandIndex(Server.buildTable(), UnimplementedRedisCommands.table());

    private static AclUser user(final String... rules) throws AclException {
        final AclUser u = new AclUser("u", INDEX, false);
        for (final String r : rules) {
            u.apply(r, false);
        }
        return u;
    }

    private static String describe(final String... rules) throws AclException {
        return user(rules).describe();
    }

    private static String reason(final String... rules) {
        try {
            user(rules);
            return null;
        } catch (AclException e) {
            return e.getMessage();
        }
    }

    @Test
    void newUserIsOffWithNothingAllowed() throws AclException {
        assertThat(describe()).isEqualTo("off resetchannels -@all");
        assertThat(user().unrestricted()).isFalse();
    }

    @Test
    void categoriesAreDescribedByBestFitThenSingleCommands() throws AclException {
        assertThat(describe("+@hash", "-hset")).isEqualTo("off resetchannels -@all +@hash -hset");
        assertThat(describe("+@hash", "-hset", "+hset")).isEqualTo("off resetchannels -@all +@hash");
        assertThat(describe("+@all", "-get")).isEqualTo("off resetchannels +@all -get");
        assertThat(describe("+@all", "-@string", "+get")).isEqualTo("off resetchannels +@all -@string +get");
        assertThat(describe("+@string", "-@string")).isEqualTo("off resetchannels -@all");
        assertThat(describe("allcommands", "-get", "nocommands")).isEqualTo("off resetchannels -@all");
        assertThat(describe("+@all", "-@dangerous", "-@admin")).isEqualTo("off resetchannels +@all -@dangerous");
        assertThat(describe("+@slow")).isEqualTo("off resetchannels -@all +@slow");
    }

    @Test
    void containersAndSubcommands() throws AclException {
        assertThat(describe("+config", "-config|set")).isEqualTo("off resetchannels -@all +config -config|set");
        assertThat(describe("+config|get", "+config")).isEqualTo("off resetchannels -@all +config");
        assertThat(describe("+config|get", "-config")).isEqualTo("off resetchannels -@all");
        assertThat(describe("+@all", "-config|set")).isEqualTo("off resetchannels +@all -config|set");
        assertThat(describe("+get|foo")).isEqualTo("off resetchannels -@all +get|foo");
        assertThat(describe("+select|0", "+get")).isEqualTo("off resetchannels -@all +select|0 +get");
    }

    @Test
    void keysChannelsPasswordsAndFlags() throws AclException {
        assertThat(describe("on", ">p1", "~k*", "%R~r*", "&ch*")).isEqualTo(
            "on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~k* %R~r* resetchannels &ch* -@all");
        assertThat(describe("%RW~a", "%R~a", "~a", "%W~b", "%R~b")).isEqualTo("off ~a ~b resetchannels -@all");
        assertThat(describe("%R", "%RW~*")).isEqualTo("off %R~ ~* resetchannels -@all");
        assertThat(describe("~a", "allkeys", "allchannels", "reset")).isEqualTo(
            "off sanitize-payload resetchannels -@all");
        assertThat(describe("nopass", ">x")).startsWith("off #");
        assertThat(describe(">x", "nopass")).isEqualTo("off nopass resetchannels -@all");
        assertThat(describe("skip-sanitize-payload")).isEqualTo("off skip-sanitize-payload resetchannels -@all");
        assertThat(describe("(~a +get)", "(%R~b +set)")).isEqualTo(
            "off resetchannels -@all (~a resetchannels -@all +get) (%R~b resetchannels -@all +set)");
        assertThat(describe("(~a +get)", "clearselectors")).isEqualTo("off resetchannels -@all");
        assertThat(user("on", ">a", ">b", "<a").passwordHashes()).hasSize(1);
    }

    @Test
    void refusedRulesGiveRedisReasons() {
        assertThat(reason("foo")).isEqualTo("Syntax error");
        assertThat(reason("+nosuchcmd")).isEqualTo("Unknown command or category name in ACL");
        assertThat(reason("+@nosuch")).isEqualTo("Unknown command or category name in ACL");
        assertThat(reason("+config|nosuch")).isEqualTo("Unknown command or category name in ACL");
        // names of Redis commands not implemented here are known, but not made-up ones around them
        for (final String r : List.of("+script|nosuch", "-eval|x", "+eval|a|b", "+evalx")) {
            assertThat(reason(r)).as(r).isEqualTo("Unknown command or category name in ACL");
        }
        assertThat(reason("+script|kill|x")).isEqualTo("Allowing first-arg of a subcommand is not supported");
        assertThat(reason("-get|x")).isEqualTo("Unknown command or category name in ACL");
        assertThat(reason("+config|get|x")).isEqualTo("Allowing first-arg of a subcommand is not supported");
        assertThat(reason("+get|")).isEqualTo("Syntax error");
        assertThat(reason("#abc")).startsWith("The password hash must be exactly 64 characters");
        assertThat(reason("<nothere")).isEqualTo(
            "The password you are trying to remove from the user does not exist");
        assertThat(reason("%X~a")).isEqualTo("Syntax error");
        assertThat(reason("%~a")).isEqualTo("Syntax error");
        assertThat(reason("~a", "allkeys", "~b")).startsWith("Adding a pattern after the * pattern (or the 'allkeys'");
        assertThat(reason("allchannels", "&a")).contains("'allchannels' flag");
        assertThat(reason("(clearselectors)")).isEqualTo("Syntax error");
        assertThatThrownBy(() -> user("(~a +nosuch)")).isInstanceOf(AclException.class);
    }

    @Test
    void passwordsAreCheckedAgainstTheirHashOnly() throws AclException {
        final AclUser u = user("on", ">secret");
        assertThat(u.passwordMatches("secret".getBytes())).isTrue();
        assertThat(u.passwordMatches("Secret".getBytes())).isFalse();
        assertThat(user(">secret").passwordMatches("secret".getBytes())).isFalse();
        assertThat(user("on", "nopass").passwordMatches("anything".getBytes())).isTrue();
        assertThat(u.describe()).doesNotContain("secret");
    }

    @Test
    void selectorGrantsCommandsKeysAndChannels() throws AclException {
        final AclSelector s = user("~k*", "%R~ro*", "%W~wo*", "&ch*", "+get", "+select|0").root();
        final CommandSpec get = INDEX.table().lookup("get");
        final CommandSpec select = INDEX.table().lookup("select");
        final CommandSpec configGet = INDEX.lookup("config|get");
        assertThat(s.commandAllowed(get, Args.of("GET", "k"))).isTrue();
        assertThat(s.commandAllowed(INDEX.table().lookup("set"), Args.of("SET", "k", "v"))).isFalse();
        assertThat(s.commandAllowed(select, Args.of("SELECT", "0"))).isTrue();
        assertThat(s.commandAllowed(select, Args.of("SELECT", "1"))).isFalse();
        assertThat(s.commandAllowed(configGet, Args.of("CONFIG", "GET", "x"))).isFalse();
        assertThat(s.keyAllowed("k1".getBytes(), 0, 2, AclSelector.ALL)).isTrue();
        assertThat(s.keyAllowed("ro1".getBytes(), 0, 3, AclSelector.READ)).isTrue();
        assertThat(s.keyAllowed("ro1".getBytes(), 0, 3, AclSelector.WRITE)).isFalse();
        assertThat(s.keyAllowed("wo1".getBytes(), 0, 3, AclSelector.WRITE)).isTrue();
        assertThat(s.keyAllowed("other".getBytes(), 0, 5, 0)).isFalse();
        assertThat(s.channelAllowed("ch1".getBytes(), 0, 3, false)).isTrue();
        assertThat(s.channelAllowed("ch*".getBytes(), 0, 3, true)).isTrue();
        assertThat(s.channelAllowed("c*".getBytes(), 0, 2, true)).isFalse();
    }

    @Test
    void keyPatternsMatchAsTheGlobDoes() {
        final List<String> patterns = List.of("key:*", "*", "", "k?y*", "a\\*b*", "[ab]*", "exact", "k*y*");
        final List<String> keys = List.of("key:1", "key:", "key", "kay:1", "a*b", "a*bc", "ab", "b", "exact", "",
            "exactly", "kxyz");
        for (final String p : patterns) {
            final AclSelector.KeyPattern kp = new AclSelector.KeyPattern(p, AclSelector.ALL);
            for (final String k : keys) {
                final byte[] kb = k.getBytes();
                assertThat(kp.matches(kb, 0, kb.length)).as("%s ~ %s", p, k)
                    .isEqualTo(dev.cinnabar.protocol.util.Glob.match(p.getBytes(), kb, false));
            }
        }
        assertThat(new AclSelector.KeyPattern("key:*", AclSelector.ALL).prefixOnly).isEqualTo(4);
        assertThat(new AclSelector.KeyPattern("k?y*", AclSelector.ALL).prefixOnly).isEqualTo(-1);
    }

    @Test
    void selectorArgumentsAreMergedAcrossWords() {
        assertThat(Acl.mergeSelectorArguments(List.of("on", "(~a", "+get)", "(%R~b +set)")))
            .containsExactly("on", "(~a +get)", "(%R~b +set)");
        assertThat(Acl.mergeSelectorArguments(List.of("(~a", "+get"))).isNull();
    }

    /** Expected texts from Redis 7.0.15 (one single command each, so its hash order does not matter). */
    @Test
    void redisCommandsNotImplementedHereAreAcceptedAndDescribedAsRedisDoes() throws AclException {
        assertThat(describe("+script|kill")).isEqualTo("off resetchannels -@all +script|kill");
        assertThat(describe("+@all", "-eval")).isEqualTo("off resetchannels +@all -eval");
        assertThat(describe("+@scripting")).isEqualTo("off resetchannels -@all +@scripting");
        assertThat(describe("+@all", "-@scripting")).isEqualTo("off resetchannels +@all -@scripting");
        assertThat(describe("+@stream")).isEqualTo("off resetchannels -@all +@stream");
        assertThat(describe("+@all", "-@stream", "+xlen")).isEqualTo("off resetchannels +@all -@stream +xlen");
        assertThat(describe("+eval|foo")).isEqualTo("off resetchannels -@all +eval|foo");
        assertThat(describe("+script")).isEqualTo("off resetchannels -@all +script");
        assertThat(describe("+@all", "-script|kill")).isEqualTo("off resetchannels +@all -script|kill");
        assertThat(describe("+@all", "-cluster")).isEqualTo("off resetchannels +@all -cluster");
        assertThat(describe("+FCALL", "+Function|Stats", "-fcall", "-function")).isEqualTo("off resetchannels -@all");
        assertThat(describe("+@admin")).isEqualTo("off resetchannels -@all +@admin");
        assertThat(describe("+@all", "-@dangerous")).isEqualTo("off resetchannels +@all -@dangerous");
    }

    @Test
    void theSentinelUserOfRedisDocumentationIsAccepted() throws AclException {
        final AclUser u = user("ON", ">pass", "allchannels", "+multi", "+slaveof", "+ping", "+exec", "+subscribe",
            "+config|rewrite", "+role", "+publish", "+info", "+client|setname", "+client|kill", "+script|kill");
        assertThat(u.describe().split(" ")).containsExactlyInAnyOrder("on",
            "#d74ff0ee8da3b9806b18c877dbf29bbde50b5bd8e4dad7a3a725000feb82e8f1", "&*", "-@all", "+multi",
            "+slaveof", "+ping", "+exec", "+subscribe", "+config|rewrite", "+role", "+publish", "+info",
            "+client|setname", "+client|kill", "+script|kill");
        // the rule grants nothing that runs here beyond the implemented commands it names
        assertThat(u.root().commandAllowed(INDEX.table().lookup("get"), Args.of("GET", "k"))).isFalse();
        assertThat(u.root().commandAllowed(INDEX.table().lookup("ping"), Args.of("PING"))).isTrue();
    }

    @Test
    void noCommandIsBothImplementedAndDeclaredUnimplemented() {
        final var table = Server.buildTable();
        for (final CommandSpec s : UnimplementedRedisCommands.table().commands()) {
            assertThat(table.lookup(s.name())).as(s.name()).isNull();
        }
        assertThatThrownBy(() -> new AclCommandIndex(table, table)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void userNamesSortLikeTheirUtf8Bytes() {
        final List<String> names = new java.util.ArrayList<>(List.of("zed", "alice", "Bob", "default", "1x", "\u00e9",
            "\uff01", "\ud83d\ude00", "_u", "a"));
        names.sort(Acl.NAME_ORDER);
        assertThat(names).containsExactly("1x", "Bob", "_u", "a", "alice", "default", "zed", "\u00e9", "\uff01",
            "\ud83d\ude00");
    }
}
