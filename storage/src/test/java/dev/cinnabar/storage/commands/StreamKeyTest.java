package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.storage.rdb.RdbType;
import dev.cinnabar.storage.type.stream.StreamValue;
import org.junit.jupiter.api.Test;

/**
 * A stream key (kept as its RDB bytes: Cinnabar has no stream commands) under every command that takes a key:
 * the generic ones treat it as any value, the typed ones answer WRONGTYPE, none fails.
 */
class StreamKeyTest {
    /** An empty stream as Redis 7.0 saves it: no listpacks, length, last/first/max-deleted ids, entries added, no groups. */
    private static final byte[] EMPTY_STREAM = new byte[10];

    private static StorageTestCall withStream() {
        final StorageTestCall t = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
        t.keyspace.db(0).set("s".getBytes(), new StreamValue(RdbType.STREAM_LISTPACKS_2, EMPTY_STREAM), false);
        return t;
    }

    @Test
    void shouldAnswerGenericKeyCommandsOnAStream() {
        final StorageTestCall t = withStream();
        assertThat(t.run("TYPE", "s")).isEqualTo("+stream\r\n");
        assertThat(t.run("OBJECT", "ENCODING", "s")).isEqualTo("$6\r\nstream\r\n");
        assertThat(t.run("EXISTS", "s")).isEqualTo(":1\r\n");
        assertThat(t.run("COPY", "s", "s2")).isEqualTo(":1\r\n");
        assertThat(t.run("TYPE", "s2")).isEqualTo("+stream\r\n");
        assertThat(t.run("RENAME", "s2", "s3")).isEqualTo("+OK\r\n");
        assertThat(t.run("EXPIRE", "s3", "100")).isEqualTo(":1\r\n");
        assertThat(t.run("SCAN", "0", "TYPE", "stream")).contains("s3").contains("$1\r\ns\r\n");
        final byte[] dump = t.runBytes("DUMP".getBytes(), "s".getBytes());
        final byte[] payload = Arrays.copyOfRange(dump, new String(dump).indexOf("\r\n") + 2, dump.length - 2);
        assertThat(payload[0]).isEqualTo((byte) RdbType.STREAM_LISTPACKS_2);
        assertThat(new String(t.runBytes("RESTORE".getBytes(), "s4".getBytes(), "0".getBytes(), payload)))
            .isEqualTo("+OK\r\n");
        assertThat(t.runBytes("DUMP".getBytes(), "s4".getBytes())).isEqualTo(dump);
        assertThat(t.run("DEL", "s", "s3", "s4")).isEqualTo(":3\r\n");
    }

    @Test
    void shouldAnswerWrongTypeFromTypedCommands() {
        final StorageTestCall t = withStream();
        for (final String[] cmd : List.of(new String[] {"GET", "s"}, new String[] {"HGET", "s", "f"},
            new String[] {"LPUSH", "s", "x"}, new String[] {"SADD", "s", "x"}, new String[] {"ZADD", "s", "1", "x"},
            new String[] {"SORT", "s"}, new String[] {"PFCOUNT", "s"}, new String[] {"GETBIT", "s", "0"})) {
            assertThat(t.run(cmd)).as(String.join(" ", cmd)).startsWith("-WRONGTYPE");
        }
        assertThat(t.run("TYPE", "s")).isEqualTo("+stream\r\n");
    }

    /** Every command whose first argument is a key, with "1" for every other argument: a reply, never an exception. */
    @Test
    void shouldNeverFailOnAStreamKey() {
        final List<CommandSpec> keyed = new ArrayList<>();
        for (final CommandSpec spec : withStream().table().allWithSubcommands()) {
            if (!spec.isContainer() && spec.firstKey() == 1) {
                keyed.add(spec);
            }
        }
        assertThat(keyed).hasSizeGreaterThan(100);
        for (final CommandSpec spec : keyed) {
            final StorageTestCall t = withStream();
            final int argc = Math.max(Math.abs(spec.arity()), 2);
            final String[] argv = new String[argc];
            Arrays.fill(argv, "1");
            argv[0] = spec.name();
            argv[1] = "s";
            assertThatCode(() -> t.run(argv)).as(spec.name()).doesNotThrowAnyException();
        }
    }
}
