package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.ExpireEntry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.Lfu;

/**
 * Writes an RDB version 10 file record by record to a stream, so a save, a snapshot cursor or a
 * replica transfer can feed it a key at a time:
 * {@link #header} → ({@link #selectDb}, {@link #resizeDb}, {@link #entry}...)... → {@link #finish}.
 *
 * <p>Keys of several databases may interleave (a snapshot's copy-on-write saves a key of any
 * database at any time): {@link #entry} emits SELECTDB whenever the database changes, which Redis's
 * loader accepts. Redis: rdb.c rdbSaveRio(), rdbSaveKeyValuePair().
 */
public final class RdbWriter {
    private static final byte[] MAGIC = "REDIS0010".getBytes(StandardCharsets.US_ASCII);

    private final RdbOutput out;
    private final RdbValueWriter values;
    private final RdbOptions options;
    private int db = -1;
    private boolean finished;

    public RdbWriter(final OutputStream stream, final RdbOptions options) {
        this.out = new RdbOutput(stream, options.compression());
        this.values = new RdbValueWriter(out, options.listMaxListpackSize());
        this.options = options;
    }

    public RdbOptions options() {
        return options;
    }

    /** The magic, the version and the aux fields. */
    public void header(final RdbAux aux) throws IOException {
        out.bytes(MAGIC, 0, MAGIC.length);
        aux("redis-ver", aux.redisVer());
        aux("redis-bits", aux.redisBits());
        aux("ctime", aux.ctimeSec());
        aux("used-mem", aux.usedMem());
        if (aux.replId() != null) {
            aux("repl-stream-db", aux.replStreamDb());
            aux("repl-id", aux.replId());
            aux("repl-offset", aux.replOffset());
        }
        aux("aof-base", aux.aofBase() ? 1 : 0);
        out.check();
    }

    public void aux(final String name, final String value) throws IOException {
        out.u8(RdbType.OPCODE_AUX);
        final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        out.string(n, 0, n.length);
        final byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.string(v, 0, v.length);
        out.check();
    }

    public void aux(final String name, final long value) throws IOException {
        out.u8(RdbType.OPCODE_AUX);
        final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        out.string(n, 0, n.length);
        out.string(value);
        out.check();
    }

    /** A function library (FUNCTION2 opcode: its code as one string). */
    public void function(final byte[] code) throws IOException {
        out.u8(RdbType.OPCODE_FUNCTION2);
        out.string(code, 0, code.length);
        out.check();
    }

    /** Switches to a database when it is not the current one. */
    public void selectDb(final int id) throws IOException {
        if (id != db) {
            out.u8(RdbType.OPCODE_SELECTDB);
            out.length(id);
            db = id;
        }
        out.check();
    }

    /** The size hint Redis writes after SELECTDB (keys, keys with a TTL). */
    public void resizeDb(final long size, final long expiresSize) throws IOException {
        out.u8(RdbType.OPCODE_RESIZEDB);
        out.length(size);
        out.length(expiresSize);
        out.check();
    }

    /**
     * One key of the current database: its deadline ({@code expireMs}, -1 for none), its LRU
     * idle seconds and LFU counter (-1 for none; written only when the options ask for them),
     * then type, key and value.
     */
    public void entry(final byte[] key, final Object value, final long expireMs, final long idleSeconds,
                      final int freq) throws IOException {
        if (expireMs != -1) {
            out.u8(RdbType.OPCODE_EXPIRETIME_MS);
            out.le(expireMs, 8);
        }
        if (options.saveIdle() && idleSeconds >= 0) {
            out.u8(RdbType.OPCODE_IDLE);
            out.length(idleSeconds);
        }
        if (options.saveFreq() && freq >= 0) {
            out.u8(RdbType.OPCODE_FREQ);
            out.u8(freq);
        }
        final long before = out.written();
        try {
            values.writeWithKey(key, value);
        } catch (RdbException e) {
            throw new RdbException(before, e.problem() + " (key '" + Numbers.printable(key) + "')");
        }
        out.check();
    }

    /**
     * One key of database {@code id} as it is stored in {@code ks}: selects the database,
     * reads the deadline from {@code expires} and the access time from the entry.
     */
    public void entry(final int id, final Entry e, final ExpireEntry expire, final Keyspace ks) throws IOException {
        selectDb(id);
        long idle = -1;
        int freq = -1;
        if (options.saveIdle()) {
            idle = ks.idleSeconds(e);
        } else if (options.saveFreq()) {
            freq = Lfu.decrAndReturn(e.lru, ks.nowMs(), ks.settings().lfuDecayTime);
        }
        entry(e.key, e.value, expire == null ? -1 : expire.whenMs, idle, freq);
    }

    /** EOF, the checksum (zero when rdbchecksum is off), and a flush. */
    public void finish() throws IOException {
        out.u8(RdbType.OPCODE_EOF);
        final long crc = options.checksum() ? out.crc() : 0;
        out.le(crc, 8);
        out.flush();
        finished = true;
    }

    public boolean finished() {
        return finished;
    }

    /** Hands the buffered bytes to the stream. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Bytes produced so far, buffered ones included. */
    public long written() {
        return out.written();
    }

    /**
     * A whole file of the keyspace as it is now (SAVE, DEBUG RELOAD, tests): every non-empty
     * database with its RESIZEDB hint, every key, EOF and checksum. Expired keys not yet deleted
     * are written with their deadline, as Redis does; loaders drop them.
     */
    public static void save(final Keyspace ks, final OutputStream stream, final RdbOptions options, final RdbAux aux)
        throws IOException {
        final RdbWriter w = new RdbWriter(stream, options);
        w.header(aux);
        for (int i = 0; i < ks.databases(); i++) {
            final Database d = ks.db(i);
            if (d.size() == 0) {
                continue;
            }
            w.selectDb(i);
            w.resizeDb(d.size(), d.expires().size());
            final IOException[] failed = {null};
            final int id = i;
            d.dict().forEach(e -> {
                if (failed[0] == null) {
                    try {
                        w.entry(id, e, d.expires().size() == 0 ? null : d.expires().find(e.key), ks);
                    } catch (IOException x) {
                        failed[0] = x;
                    }
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        w.finish();
    }
}
