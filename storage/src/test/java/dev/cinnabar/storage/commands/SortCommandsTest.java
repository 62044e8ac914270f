package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;

/** SORT and SORT_RO against the reply bytes real Redis 7.0.15 sends for the same commands. */
class SortCommandsTest {
    private static final String SCORE_ERROR = "-ERR One or more scores can't be converted into double\r\n";
    private final StorageTestCall t = new StorageTestCall(new SortCommands(), new ListCommands(), new SetCommands(),
        new ZSetCommands(), new HashCommands(), new StringCommands(), new KeyCommands());
    private final List<String> events = new ArrayList<>();

    SortCommandsTest() {
        t.keyspace.events(new KeyspaceEvents() {
            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                events.add(event + " " + Bytes.string(key));
            }
        });
    }

    private void expect(final String... commandThenReply) {
        for (int i = 0; i < commandThenReply.length; i += 2) {
            assertThat(t.run(commandThenReply[i].split(" "))).as(commandThenReply[i]).isEqualTo(commandThenReply[i + 1]);
        }
    }

    private static String bulks(final String... items) {
        final StringBuilder sb = new StringBuilder("*" + items.length + "\r\n");
        for (final String s : items) {
            sb.append(s == null ? "$-1\r\n" : "$" + s.length() + "\r\n" + s + "\r\n");
        }
        return sb.toString();
    }

    private void fixture() {
        t.run("RPUSH", "l", "3", "1", "2");
        t.run("MSET", "w_1", "30", "w_2", "10", "w_3", "20", "o_1", "one", "o_2", "two", "o_3", "three");
        t.run("HSET", "h_1", "f", "c");
        t.run("HSET", "h_2", "f", "a");
        t.run("HSET", "h_3", "f", "b");
    }

    @Test
    void sortsNumericallyByElementsOrByPatterns() {
        fixture();
        expect("SORT l", bulks("1", "2", "3"),
            "SORT l DESC", bulks("3", "2", "1"),
            "SORT l BY w_*", bulks("2", "3", "1"),
            "SORT l BY w_* GET o_* GET #", bulks("two", "2", "three", "3", "one", "1"),
            "SORT l BY h_*->f ALPHA GET # GET h_*->f", bulks("2", "a", "3", "b", "1", "c"),
            "SORT l GET nokey_*", bulks(null, null, null),
            "SORT l GET nokey", bulks(null, null, null),
            "SORT_RO l BY w_* DESC", bulks("1", "3", "2"));
    }

    @Test
    void limitClampsLikeRedis() {
        fixture();
        expect("SORT l LIMIT -5 2", bulks("1", "2"),
            "SORT l LIMIT 1 -1", bulks("2", "3"),
            "SORT l LIMIT 2 100", bulks("3"),
            "SORT l LIMIT 3 1", "*0\r\n",
            "SORT l LIMIT 0 0", "*0\r\n",
            "SORT l LIMIT 1 1 GET # GET o_*", bulks("2", "two"),
            "SORT l LIMIT 0 9223372036854775807", bulks("1", "2", "3"));
    }

    @Test
    void nosortKeepsListAndZsetOrder() {
        fixture();
        t.run("ZADD", "z", "3", "c", "1", "a", "2", "b");
        expect("SORT l BY nosort", bulks("3", "1", "2"),
            "SORT l BY nosort DESC", bulks("2", "1", "3"),
            "SORT l BY nosort DESC LIMIT 1 1", bulks("1"),
            "SORT l BY nosort LIMIT 1 5", bulks("1", "2"),
            "SORT z BY nosort", bulks("a", "b", "c"),
            "SORT z BY nosort DESC LIMIT 0 2", bulks("c", "b"),
            "SORT z BY nosort LIMIT 5 5", "*0\r\n",
            "SORT z ALPHA DESC", bulks("c", "b", "a"));
    }

    @Test
    void sortingAZsetConvertsItToSkiplistAsRedisDoes() {
        t.run("ZADD", "z", "1", "a");
        expect("OBJECT ENCODING z", "$8\r\nlistpack\r\n",
            "SORT_RO z ALPHA", bulks("a"),
            "OBJECT ENCODING z", "$8\r\nskiplist\r\n");
    }

    @Test
    void setWithNosortIsSortedAlphaWhenStored() {
        t.run("SADD", "s", "b", "c", "a");
        expect("SORT s BY nosort STORE d", ":3\r\n",
            "LRANGE d 0 -1", bulks("a", "b", "c"),
            "SADD n 3 1 2", ":3\r\n",
            "SORT n BY nosort", bulks("1", "2", "3"));
    }

    @Test
    void storeWritesAListDropsTheTtlAndDeletesOnEmpty() {
        fixture();
        t.run("SET", "d", "x");
        t.run("EXPIRE", "d", "100");
        events.clear();
        expect("SORT l BY w_* STORE d", ":3\r\n",
            "LRANGE d 0 -1", bulks("2", "3", "1"),
            "TTL d", ":-1\r\n",
            "OBJECT ENCODING d", "$9\r\nquicklist\r\n",
            "SORT l GET nothing_* STORE e", ":3\r\n",
            "LRANGE e 0 -1", bulks("", "", ""));
        assertThat(events).contains("sortstore d", "sortstore e");
        final long dirty = t.keyspace.dirty;
        expect("SORT l LIMIT 0 0 STORE d", ":0\r\n", "EXISTS d", ":0\r\n");
        assertThat(t.keyspace.dirty).isEqualTo(dirty + 1);
        assertThat(events).endsWith("del d");
        expect("SORT nokey STORE nothing", ":0\r\n", "EXISTS nothing", ":0\r\n");
        assertThat(t.keyspace.dirty).isEqualTo(dirty + 1);
    }

    @Test
    void errorsComeInRedisOrder() {
        fixture();
        t.run("SET", "str", "x");
        t.run("SET", "w_bad", "12abc");
        t.run("RPUSH", "bad", "bad");
        expect("SORT str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            "SORT str LIMIT x 1", "-ERR value is not an integer or out of range\r\n",
            "SORT l LIMIT 1", "-ERR syntax error\r\n",
            "SORT l BY", "-ERR syntax error\r\n",
            "SORT l GET", "-ERR syntax error\r\n",
            "SORT l STORE", "-ERR syntax error\r\n",
            "SORT_RO l STORE d", "-ERR syntax error\r\n",
            "SORT l FOO", "-ERR syntax error\r\n",
            "SORT bad", SCORE_ERROR,
            "SORT bad BY w_* STORE d", SCORE_ERROR,
            "EXISTS d", ":0\r\n",
            "SORT bad ALPHA", bulks("bad"),
            "SORT nokey", "*0\r\n",
            "SORT l BY w_*", bulks("2", "3", "1"));
    }

    @Test
    void missingByKeysScoreZeroAndTiesBreakByElement() {
        t.run("RPUSH", "l", "b", "c", "a");
        t.run("SET", "w_c", "-1");
        expect("SORT l BY w_*", bulks("c", "a", "b"),
            "SORT l BY w_* DESC", bulks("b", "a", "c"),
            "SORT l BY w_* ALPHA", bulks("b", "a", "c"));
    }

    @Test
    void resp3RepliesNullForMissingGets() {
        t.run("RPUSH", "l", "1");
        t.resp3();
        expect("SORT l GET x_*", "*1\r\n_\r\n");
    }

    @Test
    void scoresParseLikeStrtod() {
        assertThat(SortCommands.strtod(Bytes.ascii("0x10"))).isEqualTo(16.0);
        assertThat(SortCommands.strtod(Bytes.ascii("0x1p3"))).isEqualTo(8.0);
        assertThat(SortCommands.strtod(Bytes.ascii("  7"))).isEqualTo(7.0);
        assertThat(SortCommands.strtod(Bytes.ascii(""))).isEqualTo(0.0);
        assertThat(SortCommands.strtod(Bytes.ascii("-inf"))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(SortCommands.strtod(Bytes.ascii("Infinity"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(SortCommands.strtod(Bytes.ascii("+.5"))).isEqualTo(0.5);
        assertThat(SortCommands.strtod(Bytes.ascii(".5e+2"))).isEqualTo(50.0);
        assertThat(SortCommands.strtod(Bytes.ascii("2.3e-308"))).isEqualTo(2.3e-308);
        assertThat(SortCommands.strtod(new byte[] {'1', '2', 0, 'x'})).isEqualTo(12.0);
        for (final String bad : new String[] {"   ", "7 ", "nan", "1e", "0x", "12abc", "-.e1", "1_0", "1e400",
            "1e-400", "1e-310", "4.9e-324", "1d", "0x1p"}) {
            assertThat(SortCommands.strtod(Bytes.ascii(bad))).as(bad).isNaN();
        }
    }

    @Test
    void declaresRedisSpec() {
        final CommandSpec sort = t.table().lookup("sort");
        assertThat(sort.arity()).isEqualTo(-2);
        assertThat(sort.has(CommandFlag.WRITE)).isTrue();
        assertThat(sort.has(CommandFlag.DENYOOM)).isTrue();
        assertThat(sort.has(CommandFlag.MOVABLE_KEYS)).isTrue();
        assertThat(sort.firstKey()).isEqualTo(1);
        assertThat(sort.lastKey()).isEqualTo(1);
        assertThat(sort.keyStep()).isEqualTo(1);
        assertThat(sort.keySpecs()).hasSize(3);
        assertThat(sort.keySpecs().get(2).isUnknown()).isTrue();
        final CommandSpec ro = t.table().lookup("sort_ro");
        assertThat(ro.has(CommandFlag.READONLY)).isTrue();
        assertThat(ro.has(CommandFlag.MOVABLE_KEYS)).isTrue();
        assertThat(ro.keySpecs()).hasSize(2);
        assertThat(ro.since()).isEqualTo("7.0.0");
    }

    @Test
    void byAndGetCountKeyspaceHits() {
        fixture();
        final long hits = t.keyspace.stats.keyspaceHits;
        final long misses = t.keyspace.stats.keyspaceMisses;
        t.run("SORT", "l", "BY", "w_*", "GET", "nokey_*");
        assertThat(t.keyspace.stats.keyspaceHits - hits).isEqualTo(4);
        assertThat(t.keyspace.stats.keyspaceMisses - misses).isEqualTo(3);
    }
}
