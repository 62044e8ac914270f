package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;
import dev.cinnabar.storage.keyspace.Notify;

/** Set commands against the reply bytes real Redis 7.0.15 sends (RESP2 and RESP3). */
class SetCommandsTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    private final StorageTestCall t = new StorageTestCall(new SetCommands(), new StringCommands());
    private final List<String> events = new ArrayList<>();

    SetCommandsTest() {
        t.keyspace.events(new KeyspaceEvents() {
            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                if (type != Notify.NEW) {
                    events.add(event + " " + Bytes.string(key));
                }
            }
        });
    }

    private void expect(final String... commandThenReply) {
        for (int i = 0; i < commandThenReply.length; i += 2) {
            assertThat(t.run(commandThenReply[i].split(" "))).as(commandThenReply[i]).isEqualTo(commandThenReply[i + 1]);
        }
    }

    @Test
    void membership() {
        expect("SADD s 3 1 2", ":3\r\n",
            "SADD s 2 4", ":1\r\n",
            "SMEMBERS s", "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n",
            "SCARD s", ":4\r\n",
            "SCARD nos", ":0\r\n",
            "SISMEMBER s 1", ":1\r\n",
            "SISMEMBER s a", ":0\r\n",
            "SMISMEMBER s 1 9 a", "*3\r\n:1\r\n:0\r\n:0\r\n",
            "SMISMEMBER nos a b", "*2\r\n:0\r\n:0\r\n",
            "SREM s 1 9 a", ":1\r\n",
            "SREM nos a", ":0\r\n",
            "SMEMBERS nos", "*0\r\n");
        t.resp3();
        expect("SMEMBERS s", "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", "SMEMBERS nos", "~0\r\n",
            "SISMEMBER s 2", ":1\r\n");
        expect("SREM s 2 3 4", ":3\r\n");
        assertThat(t.db().size()).isZero();
        assertThat(events).endsWith("srem s", "del s");
    }

    @Test
    void algebra() {
        expect("SADD s 10 20 30", ":3\r\n", "SADD t 20 30 40", ":3\r\n", "SADD u 30 50", ":2\r\n",
            "SINTER s t u", "*1\r\n$2\r\n30\r\n",
            "SINTER s nos", "*0\r\n",
            "SUNION s t u", "*5\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n$2\r\n40\r\n$2\r\n50\r\n",
            "SDIFF s t", "*1\r\n$2\r\n10\r\n",
            "SDIFF s s", "*0\r\n",
            "SDIFF nos s", "*0\r\n",
            "SINTERCARD 2 s t", ":2\r\n",
            "SINTERCARD 2 s t LIMIT 1", ":1\r\n",
            "SINTERCARD 0 s", "-ERR numkeys should be greater than 0\r\n",
            "SINTERCARD 3 s", "-ERR Number of keys can't be greater than number of args\r\n",
            "SINTERCARD 1 s LIMIT x", "-ERR LIMIT can't be negative\r\n",
            "SINTERCARD 1 s LIMIT", "-ERR syntax error\r\n",
            "SINTERSTORE d s t", ":2\r\n",
            "SUNIONSTORE d s t u", ":5\r\n",
            "SDIFFSTORE d s t", ":1\r\n",
            "SMEMBERS d", "*1\r\n$2\r\n10\r\n",
            "SDIFFSTORE d s s", ":0\r\n");
        assertThat(t.db().lookup(Bytes.ascii("d"))).isNull();
        assertThat(events).endsWith("sinterstore d", "sunionstore d", "sdiffstore d", "del d");
        t.resp3();
        expect("SINTER s nos", "~0\r\n", "SUNION s", "~3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n");
    }

    @Test
    void moveBetweenSets() {
        expect("SADD s 1 2", ":2\r\n", "SET str v", "+OK\r\n",
            "SMOVE s t 1", ":1\r\n",
            "SMOVE s t 99", ":0\r\n",
            "SMOVE nos str 3", ":0\r\n",
            "SMOVE s str 2", WRONGTYPE,
            "SMOVE s s 2", ":1\r\n",
            "SMOVE s t 2", ":1\r\n",
            "SMEMBERS t", "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
        assertThat(t.db().lookup(Bytes.ascii("s"))).isNull();
        assertThat(events).endsWith("srem s", "del s", "sadd t");
    }

    @Test
    void popAndRandomMember() {
        expect("SPOP nos", "$-1\r\n", "SPOP nos 2", "*0\r\n", "SADD s 1 2 3 4 5", ":5\r\n",
            "SPOP s -1", "-ERR value is out of range, must be positive\r\n",
            "SPOP s 0", "*0\r\n",
            "SRANDMEMBER nos 3", "*0\r\n",
            "SRANDMEMBER s 0", "*0\r\n",
            "SRANDMEMBER s -9223372036854775808",
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
            "SRANDMEMBER s 10", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
        assertThat(t.run("SRANDMEMBER", "s", "-7")).matches("\\*7\\r\\n(\\$1\\r\\n[1-5]\\r\\n){7}");
        assertThat(t.run("SRANDMEMBER", "s", "3")).matches("\\*3\\r\\n(\\$1\\r\\n[1-5]\\r\\n){3}");
        t.propagated.clear();
        final String one = t.run("SPOP", "s");
        final String two = t.run("SPOP", "s", "2");
        assertThat(one).matches("\\$1\\r\\n[1-5]\\r\\n");
        assertThat(two).matches("\\*2\\r\\n(\\$1\\r\\n[1-5]\\r\\n){2}");
        final List<String> p = t.propagatedText();
        assertThat(p).hasSize(3).allMatch(s -> s.matches("SREM s [1-5]"));
        assertThat(p.get(0)).isEqualTo("SREM s " + one.charAt(4));
        t.resp3();
        assertThat(t.run("SPOP", "s", "5")).matches("~2\\r\\n(\\$1\\r\\n[1-5]\\r\\n){2}");
        assertThat(t.propagatedText()).endsWith("DEL s");
        assertThat(t.db().size()).isZero();
        expect("SPOP nos 2", "~0\r\n", "SRANDMEMBER nos 2", "*0\r\n", "SPOP nos", "_\r\n");
    }

    @Test
    void scanAndWrongType() {
        expect("SADD s 10 20 30", ":3\r\n",
            "SSCAN s 0", "*2\r\n$1\r\n0\r\n*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n",
            "SSCAN s 0 MATCH 2*", "*2\r\n$1\r\n0\r\n*1\r\n$2\r\n20\r\n",
            "SSCAN nos 0", "*2\r\n$1\r\n0\r\n*0\r\n",
            "SET str v", "+OK\r\n");
        for (final String cmd : new String[] {"SADD str a", "SREM str a", "SCARD str", "SISMEMBER str a",
            "SMEMBERS str", "SPOP str", "SPOP str 1", "SRANDMEMBER str", "SINTER nos str", "SUNION s str",
            "SDIFF str s", "SINTERSTORE d str", "SINTERCARD 1 str", "SSCAN str 0", "SMOVE str s a"}) {
            expect(cmd, WRONGTYPE);
        }
    }
}
