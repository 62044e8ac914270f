package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;
import dev.cinnabar.storage.keyspace.Notify;

/** Hash commands against the reply bytes real Redis 7.0.15 sends (RESP2 and RESP3). */
class HashCommandsTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    private final StorageTestCall t = new StorageTestCall(new HashCommands(), new StringCommands());
    private final List<String> events = new ArrayList<>();

    HashCommandsTest() {
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
    void setGetAndArity() {
        expect("HSET h a 1 b 2", ":2\r\n",
            "HSET h a 3", ":0\r\n",
            "HSET h a 1 b", "-ERR wrong number of arguments for 'hset' command\r\n",
            "HMSET h a 1 b", "-ERR wrong number of arguments for 'hmset' command\r\n",
            "HMSET h c 3", "+OK\r\n",
            "HGET h a", "$1\r\n3\r\n",
            "HGET h zz", "$-1\r\n",
            "HMGET h a zz b", "*3\r\n$1\r\n3\r\n$-1\r\n$1\r\n2\r\n",
            "HMGET noh a b", "*2\r\n$-1\r\n$-1\r\n",
            "HGETALL h", "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            "HKEYS h", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
            "HVALS h", "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n3\r\n",
            "HLEN h", ":3\r\n",
            "HSTRLEN h a", ":1\r\n",
            "HSTRLEN h zz", ":0\r\n",
            "HEXISTS h a", ":1\r\n",
            "HSETNX h a 5", ":0\r\n",
            "HSETNX h z 5", ":1\r\n",
            "HGETALL noh", "*0\r\n");
        t.resp3();
        expect("HGETALL noh", "%0\r\n", "HKEYS noh", "*0\r\n",
            "HGETALL h", "%4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nz\r\n$1\r\n5\r\n",
            "HGET h zz", "_\r\n");
    }

    @Test
    void deleteRemovesEmptyKey() {
        expect("HSET h a 1 b 2", ":2\r\n", "HDEL h a a zz", ":1\r\n", "HDEL noh a", ":0\r\n", "HDEL h b", ":1\r\n");
        assertThat(t.db().size()).isZero();
        assertThat(events).containsExactly("hset h", "hdel h", "hdel h", "del h");
    }

    @Test
    void incrementsAndTheirErrors() {
        expect("HINCRBY h a 5", ":5\r\n",
            "HINCRBY h a x", "-ERR value is not an integer or out of range\r\n",
            "HINCRBY h a 9223372036854775807", "-ERR increment or decrement would overflow\r\n",
            "HSET h s abc f 01", ":2\r\n",
            "HINCRBY h s 1", "-ERR hash value is not an integer\r\n",
            "HINCRBY h f 1", "-ERR hash value is not an integer\r\n",
            "HINCRBYFLOAT h s 1", "-ERR hash value is not a float\r\n",
            "HINCRBYFLOAT h a x", "-ERR value is not a valid float\r\n",
            "HINCRBYFLOAT h a inf", "-ERR value is NaN or Infinity\r\n",
            "HINCRBYFLOAT h a 1.5", "$3\r\n6.5\r\n",
            "HINCRBYFLOAT h fl 0.1", "$3\r\n0.1\r\n",
            "HINCRBYFLOAT h fl 0.2", "$3\r\n0.3\r\n",
            "HINCRBYFLOAT h g 3.0e3", "$4\r\n3000\r\n",
            "HINCRBYFLOAT h g -3000", "$1\r\n0\r\n",
            "HINCRBYFLOAT h k 0x10", "$2\r\n16\r\n",
            "HINCRBYFLOAT h k 1e5000", "-ERR value is not a valid float\r\n",
            "HSET h i inf", ":1\r\n",
            "HINCRBYFLOAT h i 1", "-ERR increment would produce NaN or Infinity\r\n",
            "HINCRBYFLOAT h big 1e300", "$301\r\n1000000000000000000008997324079559193870523944273290747938260082321"
                + "265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327"
                + "135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627"
                + "097410650567187386105690089424915104006144\r\n");
        assertThat(t.propagatedText()).contains("HINCRBY h a 5", "HSET h a 6.5", "HSET h g 0");
        assertThat(events).contains("hincrby h", "hincrbyfloat h");
    }

    @Test
    void randomFieldShapes() {
        expect("HSET h a 1 b 2", ":2\r\n",
            "HRANDFIELD noh", "$-1\r\n",
            "HRANDFIELD noh 3", "*0\r\n",
            "HRANDFIELD h 0", "*0\r\n",
            "HRANDFIELD h 5", "*2\r\n$1\r\na\r\n$1\r\nb\r\n",
            "HRANDFIELD h 5 WITHVALUES", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
            "HRANDFIELD h -9223372036854775808",
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
            "HRANDFIELD h -4611686018427387904 withvalues", "-ERR value is out of range\r\n",
            "HRANDFIELD h 1 foo", "-ERR syntax error\r\n",
            "HRANDFIELD h x", "-ERR value is not an integer or out of range\r\n");
        assertThat(t.run("HRANDFIELD", "h", "-3")).matches("\\*3\\r\\n(\\$1\\r\\n[ab]\\r\\n){3}");
        assertThat(t.run("HRANDFIELD", "h")).matches("\\$1\\r\\n[ab]\\r\\n");
        t.resp3();
        expect("HRANDFIELD h 5 WITHVALUES", "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
            "HRANDFIELD noh", "_\r\n");
        assertThat(t.run("HRANDFIELD", "h", "1", "WITHVALUES")).matches("\\*1\\r\\n\\*2\\r\\n\\$1\\r\\n(a\\r\\n\\$1\\r\\n1|b\\r\\n\\$1\\r\\n2)\\r\\n");
    }

    @Test
    void scanAndWrongType() {
        expect("HSET h a 1 b 2 ab 3", ":3\r\n",
            "HSCAN h 0", "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n",
            "HSCAN h 0 MATCH a*", "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n3\r\n",
            "HSCAN h 0 COUNT 0", "-ERR syntax error\r\n",
            "HSCAN h x", "-ERR invalid cursor\r\n",
            "HSCAN noh 0", "*2\r\n$1\r\n0\r\n*0\r\n",
            "SET s v", "+OK\r\n");
        for (final String cmd : new String[] {"HSET s a 1", "HGET s a", "HGETALL s", "HRANDFIELD s", "HSCAN s 0",
            "HINCRBY s a 1", "HINCRBYFLOAT s a 1", "HLEN s", "HDEL s a", "HMGET s a", "HSTRLEN s a"}) {
            expect(cmd, WRONGTYPE);
        }
    }

    @Test
    void hashtableScanVisitsEveryFieldOnce() {
        t.settings.hashMaxListpackEntries = 4;
        for (int i = 0; i < 100; i++) {
            t.run("HSET", "h", "f" + i, "v" + i);
        }
        final java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        for (int guard = 0; guard < 1000; guard++) {
            final String r = t.run("HSCAN", "h", cursor, "COUNT", "7");
            final String[] parts = r.split("\r\n");
            cursor = parts[2];
            for (int i = 5; i < parts.length; i += 4) {
                seen.add(parts[i]);
            }
            if (cursor.equals("0")) {
                break;
            }
        }
        assertThat(cursor).isEqualTo("0");
        assertThat(seen).hasSize(100);
    }
}
