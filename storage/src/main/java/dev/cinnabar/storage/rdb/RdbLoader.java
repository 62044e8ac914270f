package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * Reads an RDB file (versions 1 to 10, everything Redis 7.0 loads) from a stream, handing each
 * record to an {@link RdbVisitor}, or straight into a {@link Keyspace}.
 *
 * <p>Why a visitor: the same parser serves start-up, DEBUG RELOAD and a replica's full sync, and a
 * replica may want to apply keys as they arrive. Why errors and not skips: a corrupt file must
 * stop the load with the offset and the problem (Redis refuses to start on it), except for the
 * records Redis itself may skip: module aux data (skipped here with a warning, as redis-check-rdb
 * does), function libraries (reported, not run: Cinnabar has no function engine) and empty keys.
 * Streams and module values cannot be represented and fail the load, naming the key.
 *
 * <p>Invariants:
 * <ol>
 *   <li>The opcodes before a key (EXPIRETIME[_MS], IDLE, FREQ) apply to that key only.</li>
 *   <li>The checksum covers every byte from the magic to the EOF opcode; a zero trailer means the
 *       file was saved without one.</li>
 * </ol>
 * Redis: rdb.c rdbLoadRioWithLoadingCtx(), rdbLoadObject(), rdbLoadCheckModuleValue().
 */
public final class RdbLoader {
    private static final int MODULE_OPCODE_EOF = 0;
    private static final int MODULE_OPCODE_SINT = 1;
    private static final int MODULE_OPCODE_UINT = 2;
    private static final int MODULE_OPCODE_FLOAT = 3;
    private static final int MODULE_OPCODE_DOUBLE = 4;
    private static final int MODULE_OPCODE_STRING = 5;
    /** Redis logs the first ten empty keys it skips; so do we. */
    private static final int EMPTY_KEY_WARNINGS = 10;

    private final StorageSettings settings;
    private boolean verifyChecksum = true;

    /** A loader building values under these encoding thresholds. */
    public RdbLoader(final StorageSettings settings) {
        this.settings = settings;
    }

    /** rdbchecksum: when off, the trailer is read but not compared. */
    public RdbLoader verifyChecksum(final boolean on) {
        this.verifyChecksum = on;
        return this;
    }

    /**
     * Parses a whole file. {@code length} is the input size when known (a file), or -1 (a socket);
     * a known size lets a lying length fail at once.
     *
     * @throws RdbException for a corrupt, truncated or unsupported file, with its offset
     */
    public RdbLoadResult parse(final InputStream stream, final long length, final RdbVisitor v) throws IOException {
        final RdbInput in = new RdbInput(stream, length);
        final RdbLoadResult r = new RdbLoadResult();
        r.version = header(in);
        final RdbValueReader values = new RdbValueReader(in, settings);
        int db = 0;
        long expire = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            final long at = in.offset();
            final int type = in.u8();
            switch (type) {
                case RdbType.OPCODE_EXPIRETIME:
                    expire = (int) in.u32le() * 1000L;
                    continue;
                case RdbType.OPCODE_EXPIRETIME_MS:
                    expire = in.u64le();
                    continue;
                case RdbType.OPCODE_FREQ:
                    freq = in.u8();
                    continue;
                case RdbType.OPCODE_IDLE:
                    idle = in.length();
                    continue;
                case RdbType.OPCODE_EOF:
                    break;
                case RdbType.OPCODE_SELECTDB: {
                    final long id = in.length();
                    if (id > Integer.MAX_VALUE) {
                        throw new RdbException(at, "database index " + id + " out of range");
                    }
                    db = (int) id;
                    try {
                        v.selectDb(db);
                    } catch (RdbException e) {
                        throw located(e, at, null);
                    }
                    continue;
                }
                case RdbType.OPCODE_RESIZEDB:
                    v.resizeDb(in.length(), in.length());
                    continue;
                case RdbType.OPCODE_AUX: {
                    final byte[] name = in.string();
                    final byte[] value = in.string();
                    r.aux.put(Numbers.ascii(name), value);
                    try {
                        v.aux(name, value);
                    } catch (RdbException e) {
                        throw located(e, at, null);
                    }
                    continue;
                }
                case RdbType.OPCODE_MODULE_AUX:
                    skipModuleAux(in, at, r);
                    continue;
                case RdbType.OPCODE_FUNCTION_PRE_GA:
                    throw new RdbException(at, "pre-release function format not supported");
                case RdbType.OPCODE_FUNCTION2: {
                    final byte[] code = in.string();
                    r.functions.add(code);
                    try {
                        v.function(code);
                    } catch (RdbException e) {
                        throw located(e, at, null);
                    }
                    continue;
                }
                default: {
                    final byte[] key = in.string();
                    final Object value;
                    try {
                        value = values.read(type);
                    } catch (RdbException e) {
                        throw located(e, at, key);
                    }
                    if (value == null) {
                        if (r.emptySkipped++ < EMPTY_KEY_WARNINGS) {
                            r.warnings.add("skipping empty key '" + Numbers.printable(key) + "' at offset " + at);
                        }
                    } else {
                        try {
                            v.entry(db, key, value, expire, idle, freq);
                        } catch (RdbException e) {
                            throw located(e, at, key);
                        }
                        r.keys++;
                    }
                    expire = -1;
                    idle = -1;
                    freq = -1;
                    continue;
                }
            }
            break;
        }
        checksum(in, r);
        r.bytes = in.offset();
        return r;
    }

    private static int header(final RdbInput in) throws IOException {
        final byte[] magic = in.bytes(9);
        if (magic[0] != 'R' || magic[1] != 'E' || magic[2] != 'D' || magic[3] != 'I' || magic[4] != 'S') {
            throw new RdbException(0, "wrong signature (not an RDB file)");
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            if (magic[i] < '0' || magic[i] > '9') {
                throw new RdbException(5, "bad RDB version '" + Numbers.printable(magic, 5, 4) + "'");
            }
            version = version * 10 + magic[i] - '0';
        }
        if (version < 1 || version > RdbType.VERSION) {
            throw new RdbException(5, "can't handle RDB format version " + version);
        }
        return version;
    }

    private void checksum(final RdbInput in, final RdbLoadResult r) throws IOException {
        if (r.version < 5) {
            return;
        }
        final long expected = in.crc();
        final long at = in.offset();
        final long stored = in.u64le();
        if (stored == 0) {
            r.checksum = RdbLoadResult.Checksum.DISABLED_IN_FILE;
        } else if (verifyChecksum) {
            if (stored != expected) {
                throw new RdbException(at, "wrong RDB checksum, expected " + Long.toHexString(expected) + " got "
                    + Long.toHexString(stored));
            }
            r.checksum = RdbLoadResult.Checksum.VERIFIED;
        }
    }

    /** Module aux data: no module can load it here, so it is skipped, opcode by opcode. */
    private static void skipModuleAux(final RdbInput in, final long at, final RdbLoadResult r) throws IOException {
        final long id = in.length();
        final long whenOpcode = in.length();
        in.length();
        if (whenOpcode != MODULE_OPCODE_UINT) {
            throw new RdbException(at, "bad when_opcode " + whenOpcode + " in module aux data");
        }
        for (long op = in.length(); op != MODULE_OPCODE_EOF; op = in.length()) {
            switch ((int) Math.min(op, Integer.MAX_VALUE)) {
                case MODULE_OPCODE_SINT:
                case MODULE_OPCODE_UINT:
                    in.length();
                    break;
                case MODULE_OPCODE_FLOAT:
                    in.floatLe();
                    break;
                case MODULE_OPCODE_DOUBLE:
                    in.binaryDouble();
                    break;
                case MODULE_OPCODE_STRING:
                    in.string();
                    break;
                default:
                    throw in.error("unknown module opcode " + op + " in module aux data");
            }
        }
        r.warnings.add("skipped aux data of " + RdbValueReader.moduleName(id) + " at offset " + at
            + " (no such module)");
    }

    private static RdbException located(final RdbException e, final long at, final byte[] key) {
        final long offset = e.offset() < 0 ? at : e.offset();
        if (key == null) {
            return e.offset() < 0 ? new RdbException(offset, e.problem()) : e;
        }
        return new RdbException(offset, e.problem() + " (key '" + Numbers.printable(key) + "')");
    }

    /** {@link #load(InputStream, long, Keyspace, long, boolean)} of a stream of unknown size, checksum verified. */
    public static RdbLoadResult load(final InputStream in, final Keyspace ks, final long nowMs) throws IOException {
        return load(in, -1, ks, nowMs, true);
    }

    /** Loads a file (its size bounds every length in it). */
    public static RdbLoadResult load(final Path file, final Keyspace ks, final long nowMs, final boolean verifyChecksum)
        throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, Files.size(file), ks, nowMs, verifyChecksum);
        }
    }

    /**
     * Adds every key of the file to {@code ks}, under the keyspace's settings. On a master
     * (not {@link Keyspace#replicaMode}) keys whose deadline is before {@code nowMs} are
     * dropped, as Redis drops them; a replica keeps them for its master's DEL. A key already
     * present, or a database index the keyspace does not have, fails the load.
     *
     * <p>On an exception the keyspace holds the keys read so far: load into an empty keyspace
     * and discard it on failure (Redis refuses to start), never serve it.
     */
    public static RdbLoadResult load(final InputStream in, final long length, final Keyspace ks, final long nowMs,
                                     final boolean verifyChecksum) throws IOException {
        return load(in, length, ks, nowMs, verifyChecksum, null);
    }

    /** As above, running {@code afterKey} (when not null) after each key read: key-load-delay's pacing. */
    public static RdbLoadResult load(final InputStream in, final long length, final Keyspace ks, final long nowMs,
                                     final boolean verifyChecksum, final Runnable afterKey) throws IOException {
        final KeyspaceFill fill = new KeyspaceFill(ks, nowMs, length, afterKey);
        final RdbLoadResult r = new RdbLoader(ks.settings()).verifyChecksum(verifyChecksum).parse(in, length, fill);
        r.keys = fill.added;
        r.expiredSkipped = fill.expired;
        for (int i = 0; i < r.functions.size(); i++) {
            r.warnings.add("function library not loaded (Cinnabar has no function engine)");
        }
        return r;
    }

    /** The visitor behind {@link #load}: Redis's dbAddRDBLoad, setExpire and objectSetLRUOrLFU. */
    private static final class KeyspaceFill implements RdbVisitor {
        /** The smallest record of a key: type, a one-byte key, a one-byte value. */
        private static final long MIN_KEY_BYTES = 3;
        /** RESIZEDB is only a hint: sized by it, a table never passes this many keys... */
        private static final long MAX_HINT = 1 << 26;
        /** ...nor this many when the input size is unknown and cannot bound the hint. */
        private static final long MAX_BLIND_HINT = 1 << 20;
        private final Keyspace ks;
        private final long nowMs;
        private final long length;
        private int current;
        private final Runnable afterKey;
        long added;
        long expired;

        KeyspaceFill(final Keyspace ks, final long nowMs, final long length, final Runnable afterKey) {
            this.ks = ks;
            this.nowMs = nowMs;
            this.length = length;
            this.afterKey = afterKey;
        }

        @Override
        public void selectDb(final int id) throws RdbException {
            if (id >= ks.databases()) {
                throw new RdbException(-1, "database index " + id + " out of range (databases " + ks.databases() + ")");
            }
            current = id;
        }

        @Override
        public void resizeDb(final long size, final long expiresSize) {
            final long cap = length >= 0 ? Math.min(MAX_HINT, length / MIN_KEY_BYTES) : MAX_BLIND_HINT;
            ks.db(current).expandForLoad((int) Math.min(size, cap), (int) Math.min(expiresSize, cap));
        }

        @Override
        public void entry(final int db, final byte[] key, final Object value, final long expireMs,
                          final long idleSeconds, final int freq) throws RdbException {
            if (afterKey != null) {
                afterKey.run();
            }
            if (expireMs != -1 && expireMs < nowMs && !ks.replicaMode()) {
                expired++;
                return;
            }
            final Database d = ks.db(db);
            final Entry e = d.addLoaded(key, value);
            if (e == null) {
                throw new RdbException(-1, "duplicated key in DB " + db);
            }
            if (expireMs != -1) {
                d.setExpire(key, expireMs);
            }
            AccessStamp.apply(ks, e, idleSeconds, freq, nowMs);
            added++;
        }
    }
}
