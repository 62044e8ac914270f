package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.command.AclCategory;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.storage.rdb.Crc64;
import dev.cinnabar.storage.rdb.DumpPayload;
import dev.cinnabar.storage.type.set.SetValue;

/** DUMP and RESTORE through the command table: payload bytes, options, propagation, events. */
class DumpCommandsTest {
    /** DUMP "hello" as redis-server 7.0.15 answers it: type, string, version 10, CRC-64. */
    private static final byte[] HELLO = {0x00, 0x05, 'h', 'e', 'l', 'l', 'o', 0x0a, 0x00, 0x63, 0x72, (byte) 0xdf,
        0x76, 0x65, 0x34, 0x20, 0x0a};

    private final StorageTestCall c = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));

    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String restore(final String key, final String ttl, final byte[] payload, final String... opts) {
        final byte[][] argv = new byte[4 + opts.length][];
        argv[0] = b("RESTORE");
        argv[1] = b(key);
        argv[2] = b(ttl);
        argv[3] = payload;
        for (int i = 0; i < opts.length; i++) {
            argv[4 + i] = b(opts[i]);
        }
        return new String(c.runBytes(argv), StandardCharsets.UTF_8);
    }

    /** What redis-server 7.0.15's COMMAND INFO says: name, arity, flags, first/last/step, ACL, tips, key spec. */
    @Test
    void specs_matchRedisCommandInfo() {
        assertSpec("DUMP", 2, "readonly", "keyspace read slow", "nondeterministic_output", "RO access");
        assertSpec("RESTORE", -4, "write denyoom", "keyspace write slow dangerous", "", "OW update");
        assertSpec("RESTORE-ASKING", -4, "write denyoom asking", "keyspace write slow dangerous", "", "OW update");
        assertThat(c.table().lookup("RESTORE-ASKING").group()).isEqualTo("server");
        assertThat(c.table().lookup("RESTORE").since()).isEqualTo("2.6.0");
    }

    private void assertSpec(final String name, final int arity, final String flags, final String acl,
                            final String tips, final String keyFlags) {
        final CommandSpec spec = c.table().lookup(name);
        assertThat(spec.arity()).isEqualTo(arity);
        final List<String> f = new ArrayList<>();
        for (final CommandFlag x : CommandFlag.values()) {
            if (spec.has(x) && x.wireName() != null) {
                f.add(x.wireName());
            }
        }
        assertThat(String.join(" ", f)).isEqualTo(flags);
        final List<String> a = new ArrayList<>();
        for (final AclCategory x : AclCategory.values()) {
            if (x.in(spec.aclCategories())) {
                a.add(x.wireName());
            }
        }
        assertThat(String.join(" ", a)).isEqualTo(acl);
        assertThat(String.join(" ", spec.tips())).isEqualTo(tips);
        assertThat(new int[] {spec.firstKey(), spec.lastKey(), spec.keyStep()}).containsExactly(1, 1, 1);
        assertThat(String.join(" ", spec.keySpecs().get(0).flagNames())).isEqualTo(keyFlags);
    }

    @Test
    void dump_repliesRedisBytesAndNullForAMissingKey() {
        c.run("SET", "k", "hello");
        final byte[] reply = c.runBytes(b("DUMP"), b("k"));
        assertThat(new String(reply, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("$17\r\n");
        assertThat(Arrays.copyOfRange(reply, 5, 22)).isEqualTo(HELLO);
        assertThat(c.run("DUMP", "missing")).isEqualTo("$-1\r\n");
    }

    @Test
    void restore_createsTheKeyAndPropagatesAnAbsoluteDeadline() {
        assertThat(restore("k", "5000", HELLO)).isEqualTo("+OK\r\n");
        assertThat(c.run("GET", "k")).isEqualTo("$5\r\nhello\r\n");
        assertThat(c.run("PTTL", "k")).isEqualTo(":5000\r\n");
        assertThat(c.propagatedText()).last().asString()
            .startsWith("RESTORE k " + (c.nowMs() + 5000) + " ").endsWith(" ABSTTL");
        assertThat(c.events).contains("new:0:k", "restore:0:k");
    }

    @Test
    void restore_keepsAnAbsttlCommandAsItIs() {
        final long at = c.nowMs() + 9000;
        assertThat(restore("k", Long.toString(at), HELLO, "ABSTTL")).isEqualTo("+OK\r\n");
        assertThat(c.run("PEXPIRETIME", "k")).isEqualTo(":" + at + "\r\n");
        assertThat(c.propagatedText()).last().asString().startsWith("RESTORE k " + at + " ").endsWith(" ABSTTL");
    }

    @Test
    void restore_refusesAnExistingKeyUnlessReplace() {
        c.run("RPUSH", "k", "a");
        c.run("PEXPIRE", "k", "100000");
        assertThat(restore("k", "0", HELLO)).isEqualTo("-BUSYKEY Target key name already exists.\r\n");
        assertThat(restore("k", "0", HELLO, "REPLACE")).isEqualTo("+OK\r\n");
        assertThat(c.run("GET", "k")).isEqualTo("$5\r\nhello\r\n");
        assertThat(c.run("TTL", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void restore_withAPastDeadlineOnlyDeletesTheReplacedKey() {
        c.run("SET", "k", "old");
        c.events.clear();
        c.propagated.clear();
        assertThat(restore("k", "1", HELLO, "REPLACE", "ABSTTL")).isEqualTo("+OK\r\n");
        assertThat(c.run("EXISTS", "k")).isEqualTo(":0\r\n");
        assertThat(c.propagatedText()).containsExactly("DEL k");
        assertThat(c.events).containsExactly("del:0:k");
        assertThat(restore("other", "1", HELLO, "ABSTTL")).isEqualTo("+OK\r\n");
        assertThat(c.run("EXISTS", "other")).isEqualTo(":0\r\n");
        assertThat(c.propagatedText()).containsExactly("DEL k");
    }

    @Test
    void restore_checksInRedisOrder() {
        c.run("SET", "k", "v");
        assertThat(restore("k", "-1", b("junk"), "NOPE")).isEqualTo("-ERR syntax error\r\n");
        assertThat(restore("k", "-1", b("junk"))).isEqualTo("-BUSYKEY Target key name already exists.\r\n");
        assertThat(restore("n", "x", b("junk"))).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(restore("n", "-1", b("junk"))).isEqualTo("-ERR Invalid TTL value, must be >= 0\r\n");
        assertThat(restore("n", "0", b("junk"))).isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
        final byte[] v11 = HELLO.clone();
        v11[7] = 11;
        assertThat(restore("n", "0", v11)).isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
        assertThat(restore("n", "0", HELLO, "IDLETIME")).isEqualTo("-ERR syntax error\r\n");
        assertThat(restore("n", "0", HELLO, "IDLETIME", "-1"))
            .isEqualTo("-ERR Invalid IDLETIME value, must be >= 0\r\n");
        assertThat(restore("n", "0", HELLO, "FREQ", "300"))
            .isEqualTo("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n");
        assertThat(restore("n", "0", HELLO, "FREQ", "1", "IDLETIME", "1")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.run("EXISTS", "n")).isEqualTo(":0\r\n");
    }

    @Test
    void restore_refusesABodyItCannotRead() {
        final byte[] set = DumpPayload.create(SetValue.intset(), true, -2);
        assertThat(restore("n", "0", set)).isEqualTo("-ERR Bad data format\r\n");
        final byte[] stream = HELLO.clone();
        stream[0] = 15;
        final long crc = Crc64.of(stream, 0, 9);
        for (int k = 0; k < 8; k++) {
            stream[9 + k] = (byte) (crc >>> (8 * k));
        }
        assertThat(restore("n", "0", stream)).isEqualTo("-ERR Bad data format\r\n");
    }

    @Test
    void restore_appliesIdletimeUnderLruAndFreqUnderLfu() {
        assertThat(restore("idle", "0", HELLO, "IDLETIME", "300")).isEqualTo("+OK\r\n");
        assertThat(c.run("OBJECT", "IDLETIME", "idle")).isEqualTo(":300\r\n");
        c.settings.maxmemoryPolicy = "allkeys-lfu";
        assertThat(restore("freq", "0", HELLO, "FREQ", "42")).isEqualTo("+OK\r\n");
        assertThat(c.run("OBJECT", "FREQ", "freq")).isEqualTo(":42\r\n");
    }

    @Test
    void dumpAndRestore_roundTripACollection() {
        c.run("ZADD", "z", "1", "a", "2.5", "b");
        final byte[] reply = c.runBytes(b("DUMP"), b("z"));
        final int start = new String(reply, StandardCharsets.US_ASCII).indexOf("\r\n") + 2;
        final byte[] payload = Arrays.copyOfRange(reply, start, reply.length - 2);
        assertThat(restore("z2", "0", payload)).isEqualTo("+OK\r\n");
        assertThat(c.run("ZRANGE", "z2", "0", "-1", "WITHSCORES")).isEqualTo(c.run("ZRANGE", "z", "0", "-1",
            "WITHSCORES"));
        assertThat(c.run("OBJECT", "ENCODING", "z2")).isEqualTo("$8\r\nlistpack\r\n");
    }
}
