package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;
import dev.cinnabar.storage.keyspace.Notify;

/** List commands against the reply bytes real Redis 7.0.15 sends (RESP2 and RESP3). */
class ListCommandsTest {
    private final StorageTestCall t = new StorageTestCall(new ListCommands(), new StringCommands());
    private final List<String> events = new ArrayList<>();

    ListCommandsTest() {
        t.keyspace.events(new KeyspaceEvents() {
            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                if (type != Notify.NEW) {
                    events.add(event + " " + Bytes.string(key));
                }
            }

            @Override
            public void keyReady(final Database db, final byte[] key) {
                events.add("ready " + Bytes.string(key));
            }
        });
    }

    /** Runs "command args" lines (split on spaces) and checks each reply in turn. */
    private void expect(final String... commandThenReply) {
        for (int i = 0; i < commandThenReply.length; i += 2) {
            assertThat(t.run(commandThenReply[i].split(" "))).as(commandThenReply[i]).isEqualTo(commandThenReply[i + 1]);
        }
    }

    @Test
    void pushRangeAndIndex() {
        expect("LPUSH l a b c", ":3\r\n",
            "RPUSH l d e", ":5\r\n",
            "LRANGE l 0 -1", "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n",
            "LRANGE l -2 -1", "*2\r\n$1\r\nd\r\n$1\r\ne\r\n",
            "LRANGE l 3 1", "*0\r\n",
            "LRANGE l -9223372036854775808 9223372036854775807",
            "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n",
            "LRANGE l x 1", "-ERR value is not an integer or out of range\r\n",
            "LRANGE nol 0 -1", "*0\r\n",
            "LINDEX l -1", "$1\r\ne\r\n",
            "LINDEX l 5", "$-1\r\n",
            "LINDEX l x", "-ERR value is not an integer or out of range\r\n",
            "LINDEX nol x", "$-1\r\n",
            "LLEN l", ":5\r\n",
            "LLEN nol", ":0\r\n",
            "LPUSHX nol a", ":0\r\n",
            "RPUSHX l y z", ":7\r\n");
        assertThat(events).containsExactly("ready l", "lpush l", "rpush l", "rpush l");
    }

    @Test
    void popWithAndWithoutCount() {
        expect("RPUSH l a b c d e", ":5\r\n",
            "LPOP l", "$1\r\na\r\n",
            "RPOP l 2", "*2\r\n$1\r\ne\r\n$1\r\nd\r\n",
            "LPOP l 0", "*0\r\n",
            "LPOP l -1", "-ERR value is out of range, must be positive\r\n",
            "LPOP l x", "-ERR value is out of range, must be positive\r\n",
            "LPOP l 1 2", "-ERR wrong number of arguments for 'lpop' command\r\n",
            "LPOP nol 0", "*-1\r\n",
            "LPOP nol", "$-1\r\n",
            "LPOP l 10", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
        assertThat(t.db().size()).isZero();
        assertThat(events).endsWith("lpop l", "del l");
        t.resp3();
        expect("LPOP nol 2", "_\r\n", "RPOP nol", "_\r\n");
    }

    @Test
    void remTrimInsertSet() {
        expect("RPUSH l a b a c a d a", ":7\r\n",
            "LREM l 2 a", ":2\r\n",
            "LRANGE l 0 -1", "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\na\r\n",
            "LREM l -1 a", ":1\r\n",
            "LRANGE l 0 -1", "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n",
            "LREM l x a", "-ERR value is not an integer or out of range\r\n",
            "LTRIM l 1 -2", "+OK\r\n",
            "LRANGE l 0 -1", "*2\r\n$1\r\nc\r\n$1\r\na\r\n",
            "LINSERT l before a x", ":3\r\n",
            "LINSERT l after zz y", ":-1\r\n",
            "LINSERT l middle a y", "-ERR syntax error\r\n",
            "LINSERT nol before a b", ":0\r\n",
            "LSET l -1 Y", "+OK\r\n",
            "LSET l 5 Q", "-ERR index out of range\r\n",
            "LSET nol 0 x", "-ERR no such key\r\n",
            "LRANGE l 0 -1", "*3\r\n$1\r\nc\r\n$1\r\nx\r\n$1\r\nY\r\n",
            "LTRIM l 5 10", "+OK\r\n");
        assertThat(t.db().size()).isZero();
        assertThat(events).endsWith("ltrim l", "del l");
    }

    @Test
    void lposOptionsAndErrors() {
        expect("RPUSH l a b c a b c a", ":7\r\n",
            "LPOS l a", ":0\r\n",
            "LPOS l a RANK -2", ":3\r\n",
            "LPOS l a COUNT 0", "*3\r\n:0\r\n:3\r\n:6\r\n",
            "LPOS l a COUNT 0 RANK -1", "*3\r\n:6\r\n:3\r\n:0\r\n",
            "LPOS l a COUNT 0 MAXLEN 4", "*2\r\n:0\r\n:3\r\n",
            "LPOS l a RANK 3 COUNT 2", "*1\r\n:6\r\n",
            "LPOS l zz", "$-1\r\n",
            "LPOS l a RANK -9223372036854775808", ":6\r\n",
            "LPOS l a RANK 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                + "or use negative to start from the end of the list\r\n",
            "LPOS l a COUNT x", "-ERR COUNT can't be negative\r\n",
            "LPOS l a MAXLEN -1", "-ERR MAXLEN can't be negative\r\n",
            "LPOS l a RANK", "-ERR syntax error\r\n",
            "LPOS nol a COUNT 1", "*0\r\n",
            "LPOS nol a", "$-1\r\n");
    }

    @Test
    void moveAndMultiPop() {
        expect("RPUSH l a b c", ":3\r\n",
            "LMOVE l l2 left right", "$1\r\na\r\n",
            "LMOVE l l2 left middle", "-ERR syntax error\r\n",
            "RPOPLPUSH l l2", "$1\r\nc\r\n",
            "LRANGE l2 0 -1", "*2\r\n$1\r\nc\r\n$1\r\na\r\n",
            "LMOVE nol l2 left left", "$-1\r\n",
            "RPOPLPUSH l l2", "$1\r\nb\r\n");
        assertThat(t.db().lookup(Bytes.ascii("l"))).isNull();
        assertThat(events).contains("ready l2").endsWith("lpush l2", "rpop l", "del l");
        t.propagated.clear();
        expect("LMPOP 2 nol l2 RIGHT COUNT 2", "*2\r\n$2\r\nl2\r\n*2\r\n$1\r\na\r\n$1\r\nc\r\n",
            "LMPOP 1 l2 left", "*2\r\n$2\r\nl2\r\n*1\r\n$1\r\nb\r\n",
            "LMPOP 1 l2 left", "*-1\r\n",
            "LMPOP 0 l left", "-ERR numkeys should be greater than 0\r\n",
            "LMPOP 2 l left", "-ERR syntax error\r\n",
            "LMPOP 1 l left count 0", "-ERR count should be greater than 0\r\n",
            "LMPOP 1 l left count 5 count 6", "-ERR syntax error\r\n");
        assertThat(t.propagatedText()).containsExactly("RPOP l2 2", "LPOP l2 1");
        t.resp3();
        expect("LMPOP 1 nol left", "_\r\n");
    }

    @Test
    void wrongTypeAndEncoding() {
        expect("SET s v", "+OK\r\n");
        for (final String cmd : new String[] {"LPUSH s a", "LPUSHX s a", "LPOP s", "LLEN s", "LRANGE s 0 1",
            "LINDEX s 0", "LSET s 0 a", "LREM s 0 a", "LTRIM s 0 1", "LPOS s a", "LMPOP 1 s left"}) {
            expect(cmd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        }
        expect("RPUSH l a", ":1\r\n", "LMOVE l s left left",
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        assertThat(((dev.cinnabar.storage.type.TypedValue) t.db().lookupRead(Bytes.ascii("l"), 0, 1)).encoding())
            .isEqualTo("quicklist");
    }

    @Test
    void propagatesAsReceived() {
        expect("RPUSH l a b", ":2\r\n", "LPOP l 5", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "LPOP l 0", "*-1\r\n");
        assertThat(t.propagatedText()).containsExactly("RPUSH l a b", "LPOP l 5");
    }

    /** Redis negates a count of LONG_MIN to itself and then never reaches it: every match goes. */
    @Test
    void lrem_longMinRemovesEveryMatch() {
        assertThat(t.run("RPUSH", "l", "a", "b", "a", "c", "a")).isEqualTo(":5\r\n");
        assertThat(t.run("LREM", "l", "-9223372036854775808", "a")).isEqualTo(":3\r\n");
        assertThat(t.run("LRANGE", "l", "0", "-1")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    }
}
