package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.storage.commands.StorageFamilies;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.keyspace.Keyspace;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The loader on mutated and truncated files, and RESTORE's parser on mutated payloads: each run
 * ends quickly in a result or an {@link RdbException}, never another exception, a hang or an
 * OutOfMemoryError from a lying length.
 */
class RdbFuzzTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long MAX_MS = 5_000;
    /** Bytes that make lengths and encodings lie: 64-bit and 32-bit length markers, LZF, ends. */
    private static final byte[] NASTY = {(byte) 0x81, (byte) 0x80, (byte) 0xc3, (byte) 0xff, (byte) 0xfe, 0x7f,
        (byte) 0xf0, (byte) 0xf4, 0x00, 0x3f, 0x40};
    private static final byte[][] BASES = bases();

    private static byte[][] bases() {
        final StorageTestCall c = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
        c.run("SET", "s", "hello");
        c.run("SET", "n", "12345");
        c.run("SET", "lzf", "abcabcabcabcabcabcabcabcabcabcabcabc");
        c.run("RPUSH", "l", "a", "1", "-300", "b".repeat(73));
        c.run("SADD", "si", "1", "2", "70000");
        c.run("SADD", "ss", "a", "b");
        c.run("HSET", "h", "f", "v", "g", "12");
        c.run("ZADD", "z", "1", "a", "2.5", "b", "-inf", "c");
        c.run("PEXPIRE", "s", "100000");
        final StringBuilder big = new StringBuilder();
        for (int i = 0; i < 140; i++) {
            c.run("ZADD", "zbig", Integer.toString(i), "m" + i);
            c.run("HSET", "hbig", "f" + i, "v" + i);
            big.append(i);
        }
        c.run("SET", "big", big.toString());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            RdbWriter.save(c.keyspace, out, RdbOptions.defaults(), RdbAux.of(NOW, 0));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new byte[][] {out.toByteArray(), legacyFile()};
    }

    private static byte[] legacyFile() {
        return TestRdb.version(9).selectDb(0)
            .key(RdbType.LIST_ZIPLIST, "zl").str(TestRdb.ziplist("a", 5L, 300L, "bcd"))
            .key(RdbType.HASH_ZIPMAP, "zm").str(TestRdb.zipmap("f1", "v1", "f2", "v2"))
            .key(RdbType.ZSET, "zs").len(2).str("a").u8(3).bytes("1.5".getBytes()).str("b").u8(254)
            .key(RdbType.SET_INTSET, "is").str(Intsets.write(new long[] {1, 2, 3}))
            .u8(RdbType.OPCODE_MODULE_AUX).len(77 << 10).len(2).len(2).len(5).str("x").len(0)
            .key(RdbType.LIST_QUICKLIST, "ql").len(1).str(TestRdb.ziplist(1L, "two")).finish();
    }

    private static byte[] mutate(final byte[] base, final SplittableRandom rnd) {
        byte[] b = base.clone();
        final int edits = 1 + rnd.nextInt(6);
        for (int i = 0; i < edits; i++) {
            final int p = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0:
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                    break;
                case 1:
                    b[p] = NASTY[rnd.nextInt(NASTY.length)];
                    break;
                case 2:
                    b[p] = (byte) rnd.nextInt(256);
                    break;
                case 3:
                    b = Arrays.copyOf(b, p);
                    break;
                default: {
                    final byte[] r = new byte[b.length + 4];
                    System.arraycopy(b, 0, r, 0, p);
                    for (int k = 0; k < 4; k++) {
                        r[p + k] = NASTY[rnd.nextInt(NASTY.length)];
                    }
                    System.arraycopy(b, p, r, p + 4, b.length - p);
                    b = r;
                    break;
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    private static void loadExpectingCleanOutcome(final byte[] file, final long length, final boolean checksum) {
        final long start = System.currentTimeMillis();
        try {
            RdbLoader.load(new ByteArrayInputStream(file), length, new Keyspace(16), NOW, checksum);
        } catch (RdbException expected) {
            assertThat(expected.getMessage()).startsWith("RDB error at offset ");
            assertThat(expected.offset()).isBetween(0L, (long) file.length);
        } catch (IOException e) {
            throw new AssertionError("not an RdbException", e);
        }
        assertThat(System.currentTimeMillis() - start).isLessThan(MAX_MS);
    }

    @Property(tries = 1500)
    void loaderEndsInAResultOrAnRdbException(@ForAll final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final byte[] file = mutate(BASES[rnd.nextInt(BASES.length)], rnd);
        final boolean checksum = rnd.nextBoolean();
        loadExpectingCleanOutcome(file, file.length, checksum);
        loadExpectingCleanOutcome(file, -1, checksum);
    }

    @Property(tries = 1500)
    void restoreParserEndsInAValueOrAnRdbException(@ForAll final long seed) throws IOException {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final Keyspace ks = new Keyspace(16);
        final byte[] file = BASES[0];
        RdbLoader.load(new ByteArrayInputStream(file), ks, NOW);
        final Object[] values = collect(ks);
        final byte[] payload = DumpPayload.create(values[rnd.nextInt(values.length)], rnd.nextBoolean(), -2);
        final byte[] bad = mutate(payload, rnd);
        if (bad.length < 10) {
            assertThat(DumpPayload.verify(bad, 0, bad.length)).isFalse();
            return;
        }
        try {
            DumpPayload.parse(bad, 0, bad.length, new StorageSettings());
        } catch (RdbException expected) {
            assertThat(expected.getMessage()).startsWith("RDB error at offset ");
        }
    }

    private static Object[] collect(final Keyspace ks) {
        final List<Object> v = new ArrayList<>();
        ks.db(0).dict().forEach(e -> v.add(e.value));
        return v.toArray();
    }
}
