package dev.cinnabar.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.client.RespReplyDecoder;
import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** SENTINEL subcommands: replies, field order and error texts as redis-sentinel 7.0.15 sends them. */
class CommandsTest {
    static final CommandTable TABLE = CommandTable.builder().register(new SentinelCommands()).build(f -> true);
    static final String B = "b".repeat(40);

    Harness h;
    FakeNet.DataNode m;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness();
        m = h.net.data("127.0.0.1", 6379, "a".repeat(40));
        h.net.data("127.0.0.2", 6379, "1".repeat(40)).replicaOf(m);
        h.config("sentinel monitor mymaster 127.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 3000\n");
        h.step(500);
        final FakeNet.Conn pubsub = h.net.open("127.0.0.1", 6379).stream().filter(c -> c.subscription != null)
            .findFirst().orElseThrow();
        h.net.peer("127.0.0.11", 26379, B);
        pubsub.message(Sentinel.HELLO_CHANNEL, "127.0.0.11,26379," + B + ",0,mymaster,127.0.0.1,6379,0");
        h.step(1500);
    }

    /** Runs one SENTINEL subcommand the way the server's dispatcher would and returns the raw reply. */
    String raw(final int protocol, final String... argv) {
        final Args a = Args.of(argv);
        final CommandSpec spec = TABLE.lookup(argv[0]);
        final CommandSpec sub = spec.subcommand(a);
        final ByteBuf buf = Unpooled.buffer();
        final RespWriter w = new RespWriter(buf);
        w.protocol(protocol);
        if (sub == null) {
            w.error(Errors.unknownSubcommand(argv[1], "SENTINEL"));
        } else if (!sub.arityOk(a.count())) {
            w.error(Errors.wrongArity(sub.name()));
        } else {
            sub.invoke(call(w), a);
        }
        final String out = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        return out;
    }

    SentinelCall call(final RespWriter w) {
        return new TestCall(h.sentinel, w, () -> h.now);
    }

    RespValue run(final String... argv) {
        return decode(raw(2, argv));
    }

    static RespValue decode(final String raw) {
        final RespReplyDecoder d = new RespReplyDecoder();
        final byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        d.feed(b, 0, b.length);
        try {
            final RespValue v = d.next();
            assertThat(d.buffered()).as("one reply").isZero();
            return v;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> keys(final RespValue map) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < map.size(); i += 2) {
            out.add(map.get(i).string());
        }
        return out;
    }

    static String field(final RespValue map, final String key) {
        for (int i = 0; i < map.size(); i += 2) {
            if (map.get(i).string().equals(key)) {
                return map.get(i + 1).string();
            }
        }
        return null;
    }

    @Test
    void specs_matchRedisArityFlagsAndCategories() {
        final Map<String, Integer> arity = Map.ofEntries(Map.entry("failover", 3), Map.entry("simulate-failure", -3),
            Map.entry("pending-scripts", 2), Map.entry("replicas", 3), Map.entry("slaves", 3), Map.entry("myid", 2),
            Map.entry("reset", 3), Map.entry("is-master-down-by-addr", 6), Map.entry("get-master-addr-by-name", 3),
            Map.entry("remove", 3), Map.entry("set", -5), Map.entry("debug", -2), Map.entry("master", 3),
            Map.entry("info-cache", -3), Map.entry("flushconfig", 2), Map.entry("help", 2), Map.entry("monitor", 6),
            Map.entry("sentinels", 3), Map.entry("config", -3), Map.entry("masters", 2), Map.entry("ckquorum", 3));
        final CommandSpec sentinel = TABLE.lookup("sentinel");
        assertThat(sentinel.arity()).isEqualTo(-2);
        assertThat(sentinel.has(CommandFlag.ADMIN) && sentinel.has(CommandFlag.ONLY_SENTINEL)).isTrue();
        assertThat(sentinel.subcommands()).hasSize(arity.size());
        arity.forEach((name, n) -> {
            final CommandSpec sub = sentinel.subcommand(name);
            assertThat(sub.arity()).as(name).isEqualTo(n);
            final long admin = AclCategory.ADMIN.bit() | AclCategory.DANGEROUS.bit() | AclCategory.SLOW.bit();
            assertThat(sub.aclCategories()).as(name).isEqualTo(name.equals("help") ? AclCategory.SLOW.bit() : admin);
        });
        assertThat(CommandTable.builder().register(new SentinelCommands()).build().lookup("sentinel"))
            .as("not served outside the sentinel role").isNull();
    }

    @Test
    void master_hasRedisFieldsInRedisOrderAsMapInResp3() {
        final RespValue r = run("SENTINEL", "MASTER", "mymaster");
        assertThat(keys(r)).containsExactly("name", "ip", "port", "runid", "flags", "link-pending-commands",
            "link-refcount", "last-ping-sent", "last-ok-ping-reply", "last-ping-reply", "down-after-milliseconds",
            "info-refresh", "role-reported", "role-reported-time", "config-epoch", "num-slaves",
            "num-other-sentinels", "quorum", "failover-timeout", "parallel-syncs");
        assertThat(field(r, "flags")).isEqualTo("master");
        assertThat(field(r, "runid")).isEqualTo("a".repeat(40));
        assertThat(field(r, "num-slaves")).isEqualTo("1");
        assertThat(field(r, "num-other-sentinels")).isEqualTo("1");
        assertThat(field(r, "failover-timeout")).isEqualTo("180000");
        assertThat(raw(3, "SENTINEL", "MASTER", "mymaster")).startsWith("%20\r\n$4\r\nname\r\n$8\r\nmymaster\r\n");
        assertThat(raw(2, "SENTINEL", "MASTER", "nope")).isEqualTo("-ERR No such master with that name\r\n");
        assertThat(run("SENTINEL", "MASTERS").size()).isEqualTo(1);
    }

    @Test
    void replicasAndSentinels_haveTheirOwnFields() {
        final RespValue replicas = run("SENTINEL", "REPLICAS", "mymaster");
        assertThat(replicas.size()).isEqualTo(1);
        assertThat(keys(replicas.get(0))).containsExactly("name", "ip", "port", "runid", "flags",
            "link-pending-commands", "link-refcount", "last-ping-sent", "last-ok-ping-reply", "last-ping-reply",
            "down-after-milliseconds", "info-refresh", "role-reported", "role-reported-time", "master-link-down-time",
            "master-link-status", "master-host", "master-port", "slave-priority", "slave-repl-offset",
            "replica-announced");
        assertThat(field(replicas.get(0), "name")).isEqualTo("127.0.0.2:6379");
        assertThat(field(replicas.get(0), "master-link-status")).isEqualTo("ok");
        assertThat(raw(2, "SENTINEL", "SLAVES", "mymaster")).isEqualTo(raw(2, "SENTINEL", "REPLICAS", "mymaster"));
        final RespValue sentinels = run("SENTINEL", "SENTINELS", "mymaster");
        assertThat(keys(sentinels.get(0))).containsExactly("name", "ip", "port", "runid", "flags",
            "link-pending-commands", "link-refcount", "last-ping-sent", "last-ok-ping-reply", "last-ping-reply",
            "down-after-milliseconds", "last-hello-message", "voted-leader", "voted-leader-epoch");
        assertThat(field(sentinels.get(0), "voted-leader")).isEqualTo("?");
        h.master("mymaster").slaves.values().iterator().next().replicaAnnounced = 0;
        assertThat(raw(2, "SENTINEL", "REPLICAS", "mymaster")).isEqualTo("*0\r\n");
    }

    @Test
    void masterWhileDownAndFailingOver_showsTheExtraFields() {
        final SentinelInstance mm = h.master("mymaster");
        mm.flags.add(InstanceFlag.S_DOWN);
        mm.flags.add(InstanceFlag.O_DOWN);
        h.sentinel.failover.start(mm, h.now);
        final RespValue r = run("SENTINEL", "MASTER", "mymaster");
        assertThat(keys(r)).containsSubsequence("link-refcount", "failover-state", "last-ping-sent",
            "last-ping-reply", "s-down-time", "o-down-time", "down-after-milliseconds");
        assertThat(field(r, "flags")).isEqualTo("s_down,o_down,master,failover_in_progress");
        assertThat(field(r, "failover-state")).isEqualTo("wait_start");
    }

    @Test
    void getMasterAddrByName_arrayOrNull() {
        assertThat(raw(2, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
            .isEqualTo("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n");
        assertThat(raw(2, "SENTINEL", "get-master-addr-by-name", "nope")).isEqualTo("*-1\r\n");
        assertThat(raw(3, "SENTINEL", "get-master-addr-by-name", "nope")).isEqualTo("_\r\n");
    }

    @Test
    void isMasterDownByAddr_reportsOpinionAndVotesOncePerEpoch() {
        assertThat(raw(2, "SENTINEL", "is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"))
            .isEqualTo("*3\r\n:0\r\n$1\r\n*\r\n:0\r\n");
        h.master("mymaster").flags.add(InstanceFlag.S_DOWN);
        assertThat(raw(2, "SENTINEL", "is-master-down-by-addr", "127.0.0.1", "6379", "5", B))
            .isEqualTo("*3\r\n:1\r\n$40\r\n" + B + "\r\n:5\r\n");
        assertThat(h.events).contains("+new-epoch 5", "+vote-for-leader " + B + " 5");
        assertThat(h.sentinel.currentEpoch).isEqualTo(5);
        assertThat(h.savedConfig).contains("sentinel leader-epoch mymaster 5", "sentinel current-epoch 5");
        assertThat(raw(2, "SENTINEL", "is-master-down-by-addr", "127.0.0.1", "6379", "5", "c".repeat(40)))
            .isEqualTo("*3\r\n:1\r\n$40\r\n" + B + "\r\n:5\r\n");
        assertThat(raw(2, "SENTINEL", "is-master-down-by-addr", "127.0.0.9", "6379", "9", B))
            .isEqualTo("*3\r\n:0\r\n$1\r\n*\r\n:0\r\n");
        assertThat(raw(2, "SENTINEL", "is-master-down-by-addr", "127.0.0.1", "x", "0", "*"))
            .isEqualTo("-ERR value is not an integer or out of range\r\n");
        h.sentinel.tilt = true;
        assertThat(run("SENTINEL", "is-master-down-by-addr", "127.0.0.1", "6379", "5", "*").get(0).integer())
            .isZero();
    }

    @Test
    void ckquorum_okOrNoquorumWithRedisTexts() {
        assertThat(raw(2, "SENTINEL", "CKQUORUM", "mymaster"))
            .isEqualTo("+OK 2 usable Sentinels. Quorum and failover authorization can be reached\r\n");
        h.master("mymaster").sentinels.get(B).flags.add(InstanceFlag.S_DOWN);
        assertThat(raw(2, "SENTINEL", "CKQUORUM", "mymaster")).isEqualTo("-NOQUORUM 1 usable Sentinels. Not enough "
            + "available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to "
            + "reach the majority and authorize a failover\r\n");
    }

    @Test
    void config_getAndSetWithRedisErrors() {
        assertThat(raw(2, "SENTINEL", "CONFIG", "GET", "*")).isEqualTo("*12\r\n$17\r\nresolve-hostnames\r\n$2\r\nno"
            + "\r\n$18\r\nannounce-hostnames\r\n$2\r\nno\r\n$11\r\nannounce-ip\r\n$0\r\n\r\n$13\r\nannounce-port\r\n"
            + "$1\r\n0\r\n$13\r\nsentinel-user\r\n$0\r\n\r\n$13\r\nsentinel-pass\r\n$0\r\n\r\n");
        assertThat(raw(3, "SENTINEL", "CONFIG", "GET", "ANNOUNCE-*")).startsWith("%3\r\n");
        assertThat(raw(2, "SENTINEL", "CONFIG", "SET", "announce-port", "x"))
            .isEqualTo("-ERR Invalid value 'x' to SENTINEL CONFIG SET 'announce-port'\r\n");
        assertThat(raw(2, "SENTINEL", "CONFIG", "SET", "foo", "x"))
            .isEqualTo("-ERR Invalid argument 'foo' to SENTINEL CONFIG SET\r\n");
        assertThat(raw(2, "SENTINEL", "CONFIG", "foo"))
            .isEqualTo("-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n");
        assertThat(raw(2, "SENTINEL", "CONFIG", "SET", "announce-ip", "10.1.1.1")).isEqualTo("+OK\r\n");
        assertThat(h.savedConfig).contains("sentinel announce-ip \"10.1.1.1\"");
        assertThat(raw(2, "SENTINEL", "CONFIG", "SET", "sentinel-pass", "pw")).isEqualTo("+OK\r\n");
        assertThat(h.master("mymaster").sentinels.get(B).link.disconnected).isTrue();
    }

    @Test
    void debug_listsAndSetsTimings() {
        final RespValue r = run("SENTINEL", "DEBUG");
        assertThat(keys(r)).containsExactly("INFO-PERIOD", "PING-PERIOD", "ASK-PERIOD", "PUBLISH-PERIOD",
            "DEFAULT-DOWN-AFTER", "DEFAULT-FAILOVER-TIMEOUT", "TILT-TRIGGER", "TILT-PERIOD", "SLAVE-RECONF-TIMEOUT",
            "MIN-LINK-RECONNECT-PERIOD", "ELECTION-TIMEOUT", "SCRIPT-MAX-RUNTIME", "SCRIPT-RETRY-DELAY");
        assertThat(field(r, "DEFAULT-FAILOVER-TIMEOUT")).isEqualTo("180000");
        assertThat(raw(2, "SENTINEL", "DEBUG", "info-period", "500", "ping-period", "200")).isEqualTo("+OK\r\n");
        assertThat(h.sentinel.timings.infoPeriod).isEqualTo(500);
        assertThat(h.sentinel.timings.pingPeriod).isEqualTo(200);
        assertThat(raw(2, "SENTINEL", "DEBUG", "info-period"))
            .isEqualTo("-ERR Unknown option or number of arguments for SENTINEL DEBUG 'info-period'\r\n");
        assertThat(raw(2, "SENTINEL", "DEBUG", "info-period", "0"))
            .isEqualTo("-ERR Invalid argument '0' for SENTINEL DEBUG 'info-period'\r\n");
    }

    @Test
    void set_appliesOptionsLogsThemAndPersists() {
        assertThat(raw(2, "SENTINEL", "SET", "mymaster", "quorum", "3", "auth-pass", "secret", "rename-command",
            "CONFIG", "XCONFIG")).isEqualTo("+OK\r\n");
        final SentinelInstance mm = h.master("mymaster");
        assertThat(mm.quorum).isEqualTo(3);
        assertThat(mm.authPass).isEqualTo("secret");
        assertThat(mm.mapCommand("CONFIG")).isEqualTo("XCONFIG");
        assertThat(h.events).contains("+set master mymaster 127.0.0.1 6379 quorum 3",
            "+set master mymaster 127.0.0.1 6379 auth-pass ******",
            "+set master mymaster 127.0.0.1 6379 rename-command CONFIG XCONFIG");
        assertThat(h.savedConfig).contains("sentinel monitor mymaster 127.0.0.1 6379 3",
            "sentinel auth-pass mymaster secret", "sentinel rename-command mymaster CONFIG XCONFIG");
        assertThat(raw(2, "SENTINEL", "SET", "mymaster", "foo", "1"))
            .isEqualTo("-ERR Unknown option or number of arguments for SENTINEL SET 'foo'\r\n");
        assertThat(raw(2, "SENTINEL", "SET", "mymaster", "quorum", "x"))
            .isEqualTo("-ERR Invalid argument 'x' for SENTINEL SET 'quorum'\r\n");
        assertThat(raw(2, "SENTINEL", "SET", "mymaster", "notification-script", "/bin/true"))
            .isEqualTo("-" + SentinelCommands.SCRIPTS_DENIED + "\r\n");
        assertThat(raw(2, "SENTINEL", "SET", "mymaster", "quorum")).isEqualTo("-ERR wrong number of arguments for "
            + "'sentinel|set' command\r\n");
    }

    @Test
    void monitorRemoveResetAndFlushconfig() {
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "localhost", "1", "1"))
            .isEqualTo("-ERR Invalid IP address or hostname specified\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "127.0.0.1", "x", "1")).isEqualTo("-ERR Invalid port\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "127.0.0.1", "1", "x")).isEqualTo("-ERR Invalid quorum\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "127.0.0.1", "70000", "1"))
            .isEqualTo("-ERR Invalid port number.\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "127.0.0.1", "1", "0"))
            .isEqualTo("-ERR Quorum must be 1 or greater.\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "mymaster", "127.0.0.1", "7000", "1"))
            .isEqualTo("-ERR Duplicate master name.\r\n");
        assertThat(raw(2, "SENTINEL", "MONITOR", "m2", "127.0.0.5", "7000", "1")).isEqualTo("+OK\r\n");
        assertThat(h.events).contains("+monitor master m2 127.0.0.5 7000 quorum 1");
        assertThat(h.savedConfig).contains("sentinel monitor m2 127.0.0.5 7000 1");
        assertThat(SentinelCommandsTestRole.role(h.sentinel)).isEqualTo("*2\r\n$8\r\nsentinel\r\n*2\r\n$8\r\nmymaster"
            + "\r\n$2\r\nm2\r\n");
        assertThat(raw(2, "SENTINEL", "REMOVE", "m2")).isEqualTo("+OK\r\n");
        assertThat(h.events).contains("-monitor master m2 127.0.0.5 7000");
        assertThat(h.savedConfig).doesNotContain("m2");
        assertThat(raw(2, "SENTINEL", "RESET", "my*")).isEqualTo(":1\r\n");
        assertThat(h.events).contains("+reset-master master mymaster 127.0.0.1 6379");
        assertThat(h.master("mymaster").slaves).isEmpty();
        assertThat(h.master("mymaster").sentinels).isEmpty();
        assertThat(raw(2, "SENTINEL", "RESET", "nomatch")).isEqualTo(":0\r\n");
        assertThat(raw(2, "SENTINEL", "FLUSHCONFIG")).isEqualTo("+OK\r\n");
        h.failSaves = true;
        assertThat(raw(2, "SENTINEL", "FLUSHCONFIG"))
            .isEqualTo("-ERR Failed to save config file. Check server logs.\r\n");
    }

    @Test
    void failover_startsForcedOrRefuses() {
        assertThat(raw(2, "SENTINEL", "FAILOVER", "mymaster")).isEqualTo("+OK\r\n");
        assertThat(h.logs).contains("Executing user requested FAILOVER of 'mymaster'");
        assertThat(h.events).contains("+try-failover master mymaster 127.0.0.1 6379");
        assertThat(raw(2, "SENTINEL", "FAILOVER", "mymaster"))
            .isEqualTo("-INPROG Failover already in progress\r\n");
        h.step(10_000);
        assertThat(h.events).contains("+switch-master mymaster 127.0.0.1 6379 127.0.0.2 6379");
        h.master("mymaster").slaves.values().forEach(r -> r.slavePriority = 0);
        assertThat(raw(2, "SENTINEL", "FAILOVER", "mymaster"))
            .isEqualTo("-NOGOODSLAVE No suitable replica to promote\r\n");
    }

    @Test
    void infoCacheMyidPendingScriptsSimulateFailureAndHelp() {
        final RespValue cache = run("SENTINEL", "INFO-CACHE", "mymaster", "nope", "mymaster");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(0).string()).isEqualTo("mymaster");
        assertThat(cache.get(1).size()).isEqualTo(2);
        assertThat(cache.get(1).get(0).get(1).string()).contains("role:master");
        assertThat(raw(2, "SENTINEL", "INFO-CACHE", "nope")).isEqualTo("*0\r\n");
        assertThat(run("SENTINEL", "MYID").string()).isEqualTo(h.sentinel.myid);
        assertThat(raw(2, "SENTINEL", "PENDING-SCRIPTS")).isEqualTo("*0\r\n");
        h.sentinel.scripts.schedule(List.of("/bin/true", "+x", "y"));
        final RespValue jobs = run("SENTINEL", "PENDING-SCRIPTS");
        assertThat(keys(jobs.get(0))).containsExactly("argv", "flags", "pid", "run-delay", "retry-num");
        assertThat(field(jobs.get(0), "flags")).isEqualTo("scheduled");
        assertThat(raw(2, "SENTINEL", "SIMULATE-FAILURE", "help"))
            .isEqualTo("*2\r\n$20\r\ncrash-after-election\r\n$21\r\ncrash-after-promotion\r\n");
        assertThat(raw(2, "SENTINEL", "SIMULATE-FAILURE", "foo"))
            .isEqualTo("-ERR Unknown failure simulation specified\r\n");
        assertThat(raw(2, "SENTINEL", "SIMULATE-FAILURE", "crash-after-promotion")).isEqualTo("+OK\r\n");
        assertThat(h.sentinel.infoSection(h.now)).contains("sentinel_simulate_failure_flags:2\r\n");
        final RespValue help = run("SENTINEL", "HELP");
        assertThat(help.get(0).string()).isEqualTo("SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(help.get(help.size() - 1).string()).isEqualTo("    Prints this help.");
        assertThat(help.size()).isEqualTo(49);
    }

    @Test
    void infoSectionPublishAndRole() {
        assertThat(h.sentinel.infoSection(h.now)).isEqualTo("# Sentinel\r\nsentinel_masters:1\r\nsentinel_tilt:0\r\n"
            + "sentinel_tilt_since_seconds:-1\r\nsentinel_running_scripts:0\r\nsentinel_scripts_queue_length:0\r\n"
            + "sentinel_simulate_failure_flags:0\r\n"
            + "master0:name=mymaster,status=ok,address=127.0.0.1:6379,slaves=1,sentinels=2\r\n");
        final ByteBuf buf = Unpooled.buffer();
        final RespWriter w = new RespWriter(buf);
        SentinelCommands.publish(call(w), Args.of("PUBLISH", "foo", "bar"));
        SentinelCommands.publish(call(w), Args.of("PUBLISH", Sentinel.HELLO_CHANNEL,
            "127.0.0.12,26379," + "c".repeat(40) + ",0,mymaster,127.0.0.1,6379,0"));
        assertThat(buf.toString(StandardCharsets.UTF_8))
            .isEqualTo("-ERR Only HELLO messages are accepted by Sentinel instances.\r\n:1\r\n");
        buf.release();
        assertThat(h.master("mymaster").sentinels).containsKey("c".repeat(40));
    }

    /** ROLE through the public helper. */
    static final class SentinelCommandsTestRole {
        static String role(final Sentinel s) {
            final ByteBuf buf = Unpooled.buffer();
            SentinelCommands.role(new RespWriter(buf), s);
            final String out = buf.toString(StandardCharsets.UTF_8);
            buf.release();
            return out;
        }
    }
}
