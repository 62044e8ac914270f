package dev.cinnabar.storage.commands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.KeyspaceEvents;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Runs storage commands without a server: a keyspace, a fake clock, a command table of the given
 * families, and the raw RESP reply of each call as a string, so tests assert exact reply bytes.
 * Arity and subcommand checks mirror the dispatcher's so handlers see what they would in production.
 */
public final class StorageTestCall implements StorageCall {
    public final Keyspace keyspace = new Keyspace(16);
    public final StorageSettings settings = new StorageSettings();
    public final List<byte[][]> propagated = new ArrayList<>();
    /** Keyspace notifications ("event:db:key") and expiry DELs ("expired-del:db:key"), in order. */
    public final List<String> events = new ArrayList<>();
    private final CommandTable table;
    private final RespWriter writer = new RespWriter();
    private final ByteBuf out = Unpooled.buffer();
    private int db;
    private long now = 1_700_000_000_000L;
    private byte[][] replacement;
    private boolean prevented;
    private final List<byte[][]> also = new ArrayList<>();

    public StorageTestCall(final CommandFamily... families) {
        final CommandTable.Builder b = CommandTable.builder();
        for (final CommandFamily f : families) {
            b.register(f);
        }
        table = b.build();
        writer.target(out);
        keyspace.nowMs(now);
        keyspace.settings(settings);
        keyspace.events(new KeyspaceEvents() {
            @Override
            public void keyExpired(final Database d, final byte[] key) {
                events.add("expired-del:" + d.id() + ":" + new String(key, StandardCharsets.UTF_8));
            }

            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                events.add(event + ":" + dbId + ":" + new String(key, StandardCharsets.UTF_8));
            }
        });
    }

    public CommandTable table() {
        return table;
    }

    public StorageTestCall resp3() {
        writer.protocol(3);
        return this;
    }

    public void select(final int index) {
        this.db = index;
    }

    public void advance(final long ms) {
        now += ms;
        keyspace.nowMs(now);
    }

    /** Runs one command and returns its raw reply. */
    public String run(final String... argv) {
        exec(Args.of(argv));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs one command of binary arguments (DUMP payloads) and returns the reply's bytes. */
    public byte[] runBytes(final byte[]... argv) {
        exec(Args.of(argv));
        return ByteBufUtil.getBytes(out);
    }

    private void exec(final Args a) {
        out.clear();
        CommandSpec spec = table.lookup(a.array(), a.offset(0), a.length(0));
        if (spec == null) {
            throw new IllegalArgumentException("no such command in the families under test: " + a.string(0));
        }
        if (spec.isContainer()) {
            spec = spec.subcommand(a);
            if (spec == null) {
                writer.error("ERR unknown subcommand");
                return;
            }
        }
        if (!spec.arityOk(a.count())) {
            writer.error(Errors.wrongArity(spec.name()));
            return;
        }
        final long dirty = keyspace.dirty;
        spec.invoke(this, a);
        if (keyspace.dirty != dirty && !prevented) {
            propagated.add(replacement != null ? replacement : a.toArrays());
        }
        propagated.addAll(also);
        also.clear();
        replacement = null;
        prevented = false;
    }

    /** The propagated commands so far, each joined by spaces (for readable assertions). */
    public List<String> propagatedText() {
        final List<String> s = new ArrayList<>();
        for (final byte[][] argv : propagated) {
            final StringBuilder sb = new StringBuilder();
            for (final byte[] x : argv) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(new String(x, StandardCharsets.UTF_8));
            }
            s.add(sb.toString());
        }
        return s;
    }

    @Override
    public RespWriter reply() {
        return writer;
    }

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public void propagateAs(final byte[]... argv) {
        replacement = argv;
    }

    @Override
    public void alsoPropagate(final byte[]... argv) {
        also.add(argv);
    }

    @Override
    public void preventPropagation() {
        prevented = true;
    }

    @Override
    public Database db() {
        return keyspace.db(db);
    }

    @Override
    public Keyspace keyspace() {
        return keyspace;
    }

    @Override
    public StorageSettings settings() {
        return settings;
    }

    /** A stand-in collection value for wrong-type and generic key tests: reports itself as a listpack hash. */
    public static final class TestValue implements TypedValue {
        @Override
        public ValueType type() {
            return ValueType.HASH;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryBytes() {
            return 16;
        }

        @Override
        public TypedValue copy() {
            return new TestValue();
        }
    }
}
