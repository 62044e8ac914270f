package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * Records Redis 7.0 still loads but no longer writes, the optional opcodes, and the errors of
 * corrupt, truncated and unsupported files, with their offsets.
 */
class RdbLoaderTest {
    private static final long NOW = 1_700_000_000_000L;

    private static Keyspace load(final byte[] file) throws IOException {
        final Keyspace ks = new Keyspace(16);
        ks.nowMs(NOW);
        RdbLoader.load(new ByteArrayInputStream(file), file.length, ks, NOW, true);
        return ks;
    }

    private static byte[] listpack(final String... entries) {
        final ListpackWriter w = new ListpackWriter();
        for (final String e : entries) {
            w.add(e.getBytes());
        }
        return Arrays.copyOf(w.array(), w.finish());
    }

    private static TestRdb legacy() {
        final TestRdb t = TestRdb.version(9).aux("redis-ver", "5.0.14").selectDb(0).u8(RdbType.OPCODE_RESIZEDB)
            .len(20).len(1);
        t.u8(RdbType.OPCODE_EXPIRETIME).le(2_000_000_000L, 4).key(RdbType.LIST, "l-plain").len(3).str("a").str("b")
            .u8(0xc0).u8(12);
        t.key(RdbType.LIST_ZIPLIST, "l-ziplist").str(TestRdb.ziplist("a", 5L, "x".repeat(100)));
        t.key(RdbType.LIST_QUICKLIST, "l-quicklist").len(2).str(TestRdb.ziplist(1L, 2L)).str(TestRdb.ziplist("three"));
        t.key(RdbType.LIST_QUICKLIST_2, "l-quicklist2").len(2).len(RdbType.NODE_PLAIN).str("plain element")
            .len(RdbType.NODE_PACKED).str(listpack("p1", "200"));
        t.key(RdbType.SET, "s-strings").len(2).str("a").str("b");
        t.key(RdbType.SET, "s-ints").len(3).str("3").str("1").str("2");
        t.key(RdbType.SET_INTSET, "s-intset").str(Intsets.write(new long[] {-1, 5, 70000}));
        t.key(RdbType.ZSET, "z-text").len(3).str("a").u8(3).bytes("1.5".getBytes()).str("b").u8(254).str("c")
            .u8(255);
        t.key(RdbType.ZSET_2, "z-binary").len(1).str("a").le(Double.doubleToLongBits(2.0), 8);
        t.key(RdbType.ZSET_ZIPLIST, "z-ziplist").str(TestRdb.ziplist("a", 1L, "b", "2.5"));
        t.key(RdbType.HASH, "h-plain").len(1).str("f").str("v");
        t.key(RdbType.HASH_ZIPMAP, "h-zipmap").str(TestRdb.zipmap("f1", "v1", "f2", "v2"));
        t.key(RdbType.HASH_ZIPLIST, "h-ziplist").str(TestRdb.ziplist("f", "v", "n", 7L));
        // module aux data: id, when opcode (UINT), when, then SINT, STRING, DOUBLE, FLOAT and EOF
        t.u8(RdbType.OPCODE_MODULE_AUX).len(12345 << 10 | 3).len(2).len(2).len(1).len(5).len(5).str("blob").len(4)
            .le(Double.doubleToLongBits(1.5), 8).len(3).le(Float.floatToIntBits(2.5f), 4).len(0);
        t.u8(RdbType.OPCODE_FUNCTION2).str("#!lua name=mylib\nredis.register_function('f', function() end)");
        t.u8(RdbType.OPCODE_IDLE).len(100).u8(RdbType.OPCODE_FREQ).u8(9).key(RdbType.STRING, "s-lzf")
            .u8(0xc3).len(5).len(25).bytes(new byte[] {0x00, 'a', (byte) 0xe0, 0x0f, 0x00});
        t.key(RdbType.STRING, "s-int8").u8(0xc0).u8(0x85);
        t.key(RdbType.STRING, "s-int16").u8(0xc1).le(-1234, 2);
        t.key(RdbType.STRING, "s-int32").u8(0xc2).le(123456789, 4);
        t.u8(RdbType.OPCODE_EXPIRETIME_MS).le(NOW + 5000, 8).key(RdbType.STRING, "s-len64").u8(0x81).le(0, 4)
            .bytes(new byte[] {0, 0, 0, 3}).bytes("abc".getBytes());
        t.selectDb(3).key(RdbType.STRING, "in-db-3").str("x");
        return t;
    }

    @Test
    void shouldLoadEveryLegacyEncodingAndOpcode() throws IOException {
        final byte[] file = legacy().finish();
        final Keyspace ks = new Keyspace(16);
        final RdbLoadResult r = RdbLoader.load(new ByteArrayInputStream(file), file.length, ks, NOW, true);
        final Map<String, String> v = Canon.of(ks);
        assertThat(v).containsEntry("0:l-plain", "list:[a, b, 12] expire=2000000000000")
            .containsEntry("0:l-ziplist", "list:[a, 5, " + "x".repeat(100) + "] expire=-1")
            .containsEntry("0:l-quicklist", "list:[1, 2, three] expire=-1")
            .containsEntry("0:l-quicklist2", "list:[plain element, p1, 200] expire=-1")
            .containsEntry("0:s-strings", "set:[a, b] expire=-1")
            .containsEntry("0:s-ints", "set:[1, 2, 3] expire=-1")
            .containsEntry("0:s-intset", "set:[-1, 5, 70000] expire=-1")
            .containsEntry("0:z-text", "zset:[c=-Infinity, a=1.5, b=Infinity] expire=-1")
            .containsEntry("0:z-binary", "zset:[a=2.0] expire=-1")
            .containsEntry("0:z-ziplist", "zset:[a=1.0, b=2.5] expire=-1")
            .containsEntry("0:h-plain", "hash:{f=v} expire=-1")
            .containsEntry("0:h-zipmap", "hash:{f1=v1, f2=v2} expire=-1")
            .containsEntry("0:h-ziplist", "hash:{f=v, n=7} expire=-1")
            .containsEntry("0:s-lzf", "string:" + "a".repeat(25) + " expire=-1")
            .containsEntry("0:s-int8", "string:-123 expire=-1")
            .containsEntry("0:s-int16", "string:-1234 expire=-1")
            .containsEntry("0:s-int32", "string:123456789 expire=-1")
            .containsEntry("0:s-len64", "string:abc expire=" + (NOW + 5000))
            .containsEntry("3:in-db-3", "string:x expire=-1");
        assertThat(v).hasSize(19);
        final Map<String, String> enc = Canon.encodings(ks);
        assertThat(enc).containsEntry("0:s-ints", "intset").containsEntry("0:s-strings", "hashtable")
            .containsEntry("0:h-zipmap", "listpack").containsEntry("0:z-ziplist", "listpack");
        assertThat(r.version()).isEqualTo(9);
        assertThat(r.auxString("redis-ver")).isEqualTo("5.0.14");
        assertThat(r.functions()).hasSize(1);
        assertThat(r.warnings()).anyMatch(w -> w.contains("module type") && w.contains("version 3"))
            .anyMatch(w -> w.contains("function library not loaded"));
        assertThat(r.checksum()).isEqualTo(RdbLoadResult.Checksum.VERIFIED);
    }

    @Test
    void shouldLoadOldVersionsWithoutAChecksum() throws IOException {
        final byte[] file = TestRdb.version(3).selectDb(0).key(RdbType.STRING, "k").str("v").u8(RdbType.OPCODE_EOF)
            .body();
        final Keyspace ks = new Keyspace(16);
        final RdbLoadResult r = RdbLoader.load(new ByteArrayInputStream(file), file.length, ks, NOW, true);
        assertThat(Canon.of(ks)).containsExactly(Map.entry("0:k", "string:v expire=-1"));
        assertThat(r.checksum()).isEqualTo(RdbLoadResult.Checksum.NOT_CHECKED);
    }

    @Test
    void shouldAcceptAZeroChecksumAndSkipTheCheckWhenAskedTo() throws IOException {
        final byte[] zero = TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").str("v").finish(0L);
        assertThat(RdbLoader.load(new ByteArrayInputStream(zero), new Keyspace(16), NOW).checksum())
            .isEqualTo(RdbLoadResult.Checksum.DISABLED_IN_FILE);
        final byte[] wrong = TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").str("v").finish(12345L);
        assertThat(RdbLoader.load(new ByteArrayInputStream(wrong), -1, new Keyspace(16), NOW, false).checksum())
            .isEqualTo(RdbLoadResult.Checksum.NOT_CHECKED);
        final long good = Crc64.of(wrong, 0, wrong.length - 8);
        assertThatThrownBy(() -> load(wrong)).isInstanceOf(RdbException.class)
            .hasMessage("RDB error at offset 17: wrong RDB checksum, expected " + Long.toHexString(good) + " got 3039");
    }

    @Test
    void shouldSkipEmptyKeysWithAWarning() throws IOException {
        final byte[] file = TestRdb.version(10).selectDb(0).key(RdbType.SET, "empty").len(0)
            .key(RdbType.LIST_QUICKLIST_2, "empty-list").len(1).len(2).str(listpack()).key(RdbType.STRING, "k").str("v")
            .finish();
        final Keyspace ks = new Keyspace(16);
        final RdbLoadResult r = RdbLoader.load(new ByteArrayInputStream(file), ks, NOW);
        assertThat(Canon.of(ks)).containsOnlyKeys("0:k");
        assertThat(r.emptySkipped()).isEqualTo(2);
        assertThat(r.warnings()).containsExactly("skipping empty key 'empty' at offset 11",
            "skipping empty key 'empty-list' at offset 19");
    }

    @Test
    void shouldNameTheOffsetAndProblemOfCorruptFiles() {
        assertError(new byte[] {'R', 'E', 'D', 'I', 'X', '0', '0', '1', '0'},
            "RDB error at offset 0: wrong signature (not an RDB file)");
        assertError(TestRdb.version(11).finish(), "RDB error at offset 5: can't handle RDB format version 11");
        assertError(TestRdb.version(10).selectDb(0).key(99, "k").str("v").finish(),
            "RDB error at offset 14: unknown value type 99 (key 'k')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.STREAM_LISTPACKS_2, "events").len(0).len(3)
                .len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0).finish(),
            "RDB error at offset 29: stream with no listpacks claims 3 entries (key 'events')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.STREAM_LISTPACKS_2, "events").len(1).str("short")
                .finish(),
            "RDB error at offset 20: stream node key is not a 16-byte entry id (key 'events')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.STREAM_LISTPACKS_3, "events").len(0).finish(),
            "RDB error at offset 19: value type 21 (stream-listpacks-3, RDB 11 / Redis 7.2) is not supported by RDB 10"
                + " (key 'events')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.MODULE_2, "m").len(12345 << 10 | 2).finish(),
            "RDB error at offset 19: module values are not supported (module type 'AAAAAADA5' version 2) (key 'm')");
        assertError(TestRdb.version(10).u8(RdbType.OPCODE_FUNCTION_PRE_GA).finish(),
            "RDB error at offset 9: pre-release function format not supported");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").len(1_000_000_000).finish(),
            "RDB error at offset 19: string length 1000000000 exceeds the 9 bytes left (key 'k')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").u8(0xc3).len(2).len(9).bytes(
            new byte[] {0x00, 'a'}).finish(), "RDB error at offset 14: invalid LZF compressed string (2 bytes, 9 "
            + "expected) (key 'k')");
        final byte[] lp = listpack("a", "b");
        lp[8] = 99;
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.LIST_QUICKLIST_2, "k").len(1).len(2).str(lp).finish(),
            "RDB error at offset 16: corrupt listpack: back-length does not match the entry (at byte 8 of 13) "
                + "(key 'k')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.HASH_LISTPACK, "k").str(listpack("f", "v", "g"))
            .finish(), "RDB error at offset 14: corrupt listpack: odd number of entries where pairs were expected "
            + "(at byte 15 of 16) (key 'k')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.SET, "k").len(2).str("a").str("a").finish(),
            "RDB error at offset 17: duplicate set member 'a' (key 'k')");
        assertError(TestRdb.version(10).selectDb(0).key(RdbType.ZSET_2, "k").len(1).str("a")
            .le(Double.doubleToLongBits(Double.NaN), 8).finish(),
            "RDB error at offset 15: sorted set member 'a' has a NaN score (key 'k')");
    }

    @Test
    void shouldReportTruncationAtTheOffsetWhereTheInputEnds() throws IOException {
        final byte[] file = legacy().finish();
        for (int cut = 0; cut < file.length; cut += 7) {
            final byte[] part = Arrays.copyOf(file, cut);
            for (final long length : new long[] {part.length, -1}) {
                final RdbException e = catchRdb(() -> RdbLoader.load(new ByteArrayInputStream(part), length,
                    new Keyspace(16), NOW, true));
                assertThat(e.offset()).as("cut at %d", cut).isLessThanOrEqualTo(cut);
                assertThat(e.problem()).matches("(unexpected end of file|string length .* exceeds the .* bytes left"
                    + "|wrong signature.*)( \\(key .*\\))?");
            }
        }
    }

    @Test
    void shouldNotAllocateForALyingLengthOnAStreamOfUnknownSize() {
        // a string claiming almost 2 GB, then nothing: read in growing chunks, so it fails without a 2 GB array
        final byte[] head = TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").u8(0x80)
            .bytes(new byte[] {0x7f, (byte) 0xff, 0, 0}).body();
        final InputStream slow = new ByteArrayInputStream(head);
        final long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        final RdbException e = catchRdb(() -> RdbLoader.load(slow, -1, new Keyspace(16), NOW, true));
        assertThat(e.getMessage()).isEqualTo("RDB error at offset 19: unexpected end of file (key 'k')");
        final long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after - before).isLessThan(256L << 20);
    }

    @Test
    void shouldBuildTheEncodingsTheSettingsAsk() throws IOException {
        final StorageSettings s = new StorageSettings();
        s.setMaxIntsetEntries = 2;
        s.hashMaxListpackValue = 3;
        s.zsetMaxListpackEntries = 1;
        final byte[] file = TestRdb.version(10).selectDb(0)
            .key(RdbType.SET_INTSET, "intset").str(Intsets.write(new long[] {1, 2, 3}))
            .key(RdbType.HASH_LISTPACK, "hash-lp").str(listpack("field", "value"))
            .key(RdbType.HASH_ZIPLIST, "hash-zl").str(TestRdb.ziplist("field", "value"))
            .key(RdbType.ZSET_LISTPACK, "zset").str(listpack("a", "1", "b", "2")).finish();
        final Keyspace ks = new Keyspace(16);
        ks.settings(s);
        RdbLoader.load(new ByteArrayInputStream(file), ks, NOW);
        // as Redis 7.0: an intset or listpack past the entry limit converts; a listpack's long values do not
        assertThat(Canon.encodings(ks)).containsEntry("0:intset", "hashtable").containsEntry("0:hash-lp", "listpack")
            .containsEntry("0:hash-zl", "hashtable").containsEntry("0:zset", "skiplist");
    }

    private static void assertError(final byte[] file, final String message) {
        assertThat(catchRdb(() -> load(file)).getMessage()).isEqualTo(message);
    }

    interface Load {
        Object run() throws IOException;
    }

    static RdbException catchRdb(final Load l) {
        try {
            l.run();
        } catch (RdbException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("not an RdbException", e);
        }
        throw new AssertionError("no error");
    }
}
