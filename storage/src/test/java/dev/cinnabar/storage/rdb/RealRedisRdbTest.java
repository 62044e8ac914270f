package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.storage.commands.StorageFamilies;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.type.stream.StreamValue;

/**
 * Interoperability with a real redis-server 7.0: its dump.rdb loads here with the same contents
 * and encodings, our files load there, and DUMP payloads move both ways. Skipped when
 * /usr/bin/redis-server is absent.
 */
@Timeout(120)
class RealRedisRdbTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requireRedis() {
        Assumptions.assumeTrue(RealRedis.available(), "real redis-server not installed at " + RealRedis.SERVER
            + " (apt-get install redis-server): skipping interoperability tests");
    }

    private static StorageTestCall ours() {
        final StorageTestCall c = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
        Workload.apply(Workload.everyEncoding(), c);
        return c;
    }

    @Test
    void shouldLoadADumpWrittenByRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(dir, "dump.rdb")) {
            Workload.apply(Workload.everyEncoding(), redis);
            assertThat(redis.call("SAVE").string()).isEqualTo("OK");
            final Keyspace ks = new Keyspace(16);
            final RdbLoadResult r = RdbLoader.load(dir.resolve("dump.rdb"), ks, System.currentTimeMillis(), true);
            assertThat(r.checksum()).isEqualTo(RdbLoadResult.Checksum.VERIFIED);
            assertThat(r.auxString("redis-ver")).isEqualTo("7.0.15");
            final Map<String, String> theirs = Canon.of(redis.conn(), 16);
            assertThat(theirs).hasSize(Canon.of(ours().keyspace).size()).containsKeys("0:s:big", "15:db15-hash");
            assertThat(Canon.of(ks)).isEqualTo(theirs);
            // what Redis itself builds when it loads the same file
            assertThat(redis.call("DEBUG", "RELOAD").string()).isEqualTo("OK");
            assertThat(Canon.encodings(ks)).isEqualTo(Canon.encodings(redis.conn(), 16));
        }
    }

    @Test
    void shouldLoadADumpWrittenByRealRedisWithoutCompressionAndChecksum() throws Exception {
        try (RealRedis redis = RealRedis.start(dir, "plain.rdb", "--rdbcompression", "no", "--rdbchecksum", "no")) {
            Workload.apply(Workload.everyEncoding(), redis);
            redis.call("SAVE");
            final Keyspace ks = new Keyspace(16);
            final RdbLoadResult r = RdbLoader.load(dir.resolve("plain.rdb"), ks, System.currentTimeMillis(), true);
            assertThat(r.checksum()).isEqualTo(RdbLoadResult.Checksum.DISABLED_IN_FILE);
            assertThat(Canon.of(ks)).isEqualTo(Canon.of(redis.conn(), 16));
        }
    }

    /**
     * Streams (which Cinnabar keeps as Redis's bytes, having no stream commands): a file with streams, consumer groups,
     * pending entries and a deleted entry loads here and, saved again, loads in Redis with the same XINFO STREAM FULL;
     * a DUMP payload of one restores there unchanged.
     */
    @Test
    void shouldCarryStreamsFromRealRedisAndBack() throws Exception {
        final List<String> keys = List.of("events", "emptied");
        final Map<String, String> expected = new TreeMap<>();
        final byte[] payload;
        try (RealRedis redis = RealRedis.start(dir, "streams.rdb")) {
            for (int i = 1; i <= 300; i++) {
                redis.call("XADD", "events", i + "-1", "n", String.valueOf(i), "pad", "x".repeat(i % 50));
            }
            redis.call("XDEL", "events", "5-1");
            redis.call("XGROUP", "CREATE", "events", "workers", "0");
            redis.call("XREADGROUP", "GROUP", "workers", "alice", "COUNT", "3", "STREAMS", "events", ">");
            redis.call("XREADGROUP", "GROUP", "workers", "bob", "COUNT", "2", "STREAMS", "events", ">");
            redis.call("XACK", "events", "workers", "1-1");
            redis.call("XADD", "emptied", "7-7", "f", "v");
            redis.call("XDEL", "emptied", "7-7");
            assertThat(redis.call("SAVE").string()).isEqualTo("OK");
            for (final String k : keys) {
                expected.put(k, streamState(redis, k));
            }
            payload = redis.call("DUMP", "events").bytes();
        }
        final Keyspace ks = new Keyspace(16);
        RdbLoader.load(dir.resolve("streams.rdb"), ks, System.currentTimeMillis(), true);
        for (final String k : keys) {
            assertThat(ks.db(0).lookup(k.getBytes()).value).isInstanceOf(StreamValue.class);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("ours-streams.rdb"))) {
            RdbWriter.save(ks, out, RdbOptions.defaults(), RdbAux.of(System.currentTimeMillis(), 1 << 20));
        }
        final Object restored = DumpPayload.parse(payload, 0, payload.length, new StorageSettings());
        try (RealRedis redis = RealRedis.start(dir, "ours-streams.rdb")) {
            assertThat(redis.log()).contains("Done loading RDB");
            final byte[] ours = DumpPayload.create(restored, true, -2);
            assertThat(redis.conn().call(Canon.args("RESTORE", "copy", "0", ours)).string()).isEqualTo("OK");
            for (final String k : keys) {
                assertThat(streamState(redis, k)).as(k).isEqualTo(expected.get(k));
            }
            assertThat(streamState(redis, "copy")).isEqualTo(expected.get("events"));
        }
    }

    private static String streamState(final RealRedis redis, final String key) throws IOException {
        return redis.call("XINFO", "STREAM", key, "FULL") + " " + redis.call("XRANGE", key, "-", "+");
    }

    @Test
    void shouldWriteFilesRealRedisLoads() throws Exception {
        final StorageTestCall c = ours();
        for (final RdbOptions o : List.of(RdbOptions.defaults(), new RdbOptions(false, false, -2, false, false),
            new RdbOptions(true, true, 5, false, false))) {
            final String name = "ours-" + o.compression() + "-" + o.checksum() + o.listMaxListpackSize() + ".rdb";
            try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                RdbWriter.save(c.keyspace, out, o, RdbAux.of(System.currentTimeMillis(), 1 << 20));
            }
            try (RealRedis redis = RealRedis.start(dir, name)) {
                assertThat(redis.log()).contains("Done loading RDB");
                assertThat(Canon.of(redis.conn(), 16)).isEqualTo(Canon.of(c.keyspace));
                assertThat(Canon.encodings(redis.conn(), 16)).isEqualTo(Canon.encodings(c.keyspace));
            }
        }
    }

    @Test
    void shouldCarryIdleTimesToRealRedis() throws Exception {
        final StorageTestCall c = ours();
        c.settings.maxmemoryPolicy = "allkeys-lru";
        c.keyspace.nowMs(System.currentTimeMillis());
        c.db().lookup("s:small".getBytes()).lru = c.keyspace.lruClock() - 5000;
        try (OutputStream out = Files.newOutputStream(dir.resolve("lru.rdb"))) {
            RdbWriter.save(c.keyspace, out, RdbOptions.of(c.settings, true, true), RdbAux.of(c.nowMs(), 0));
        }
        try (RealRedis redis = RealRedis.start(dir, "lru.rdb", "--maxmemory-policy", "allkeys-lru")) {
            assertThat(redis.call("OBJECT", "IDLETIME", "s:small").integer()).isBetween(4990L, 5100L);
        }
    }

    @Test
    void shouldExchangeDumpPayloadsWithRealRedis() throws Exception {
        final StorageTestCall c = ours();
        try (RealRedis redis = RealRedis.start(dir, "dump.rdb")) {
            Workload.apply(Workload.everyEncoding(), redis);
            final Map<String, String> fromRedis = new TreeMap<>();
            final Map<String, String> restoredThere = new TreeMap<>();
            for (final RespValue k : redis.call("KEYS", "*").elements()) {
                final byte[] key = k.bytes();
                final byte[] payload = redis.conn().call(Canon.args("DUMP", key)).bytes();
                assertThat(DumpPayload.verify(payload, 0, payload.length)).isTrue();
                fromRedis.put(Canon.text(key), Canon.of(DumpPayload.parse(payload, 0, payload.length, c.settings)));
                final byte[] ourPayload = DumpPayload.create(c.db().lookup(key).value, true, -2);
                final byte[] copy = ("copy:" + Canon.text(key)).getBytes(StandardCharsets.ISO_8859_1);
                assertThat(redis.conn().call(Canon.args("RESTORE", copy, "0", ourPayload)).string()).isEqualTo("OK");
                restoredThere.put(Canon.text(key), Canon.value(redis.conn(), copy));
            }
            final Map<String, String> expected = new TreeMap<>();
            c.db().dict().forEach(e -> expected.put(Canon.text(e.key), Canon.of(e.value)));
            assertThat(fromRedis).isEqualTo(expected);
            assertThat(restoredThere).isEqualTo(expected);
        }
    }

    @Test
    void shouldAnswerDumpAndRestoreAsRealRedisDoes() throws Exception {
        final StorageTestCall c = ours();
        try (RealRedis redis = RealRedis.start(dir, "dump.rdb")) {
            Workload.apply(Workload.everyEncoding(), redis);
            final byte[] payload = redis.conn().call(Canon.args("DUMP", "s:small")).bytes();
            final byte[] badCrc = payload.clone();
            badCrc[badCrc.length - 1] ^= 1;
            final byte[] v11 = payload.clone();
            v11[v11.length - 10] = 11;
            final byte[] garbage = withCrc(new byte[] {99, 1, 2, 3});
            final byte[] emptySet = withCrc(new byte[] {RdbType.SET, 0});
            final Object[][] cases = {
                {"DUMP", "nosuchkey"},
                {"RESTORE", "s:small", "0", payload},
                {"RESTORE", "s:small", "-1", "x"},
                {"RESTORE", "new", "-1", payload},
                {"RESTORE", "new", "abc", payload},
                {"RESTORE", "new", "0", badCrc},
                {"RESTORE", "new", "0", v11},
                {"RESTORE", "new", "0", "short"},
                {"RESTORE", "new", "0", garbage},
                {"RESTORE", "new", "0", emptySet},
                {"RESTORE", "new", "0", payload, "IDLETIME"},
                {"RESTORE", "new", "0", payload, "IDLETIME", "-1"},
                {"RESTORE", "new", "0", payload, "IDLETIME", "x"},
                {"RESTORE", "new", "0", payload, "FREQ", "256"},
                {"RESTORE", "new", "0", payload, "FREQ", "1", "IDLETIME", "1"},
                {"RESTORE", "new", "0", payload, "BOGUS"},
                {"RESTORE", "s:small", "0", badCrc, "BOGUS"},
                {"RESTORE", "s:small", "0", payload, "REPLACE", "ABSTTL", "IDLETIME", "10"},
                {"RESTORE", "new", "1", payload, "ABSTTL"},
                {"RESTORE", "new", "100000", payload},
                {"RESTORE", "s:small", "1", payload, "REPLACE", "ABSTTL"},
                {"RESTORE"},
                {"DUMP"},
            };
            for (final Object[] argv : cases) {
                final RespValue theirs = redis.conn().call(Canon.args(argv));
                final byte[][] b = Canon.args(argv).toArray(new byte[0][]);
                final String mine = new String(c.runBytes(b), StandardCharsets.ISO_8859_1);
                assertThat(mine).as(String.valueOf(argv[0]) + " " + (argv.length > 1 ? argv[1] : ""))
                    .isEqualTo(resp2(theirs));
            }
            // the last RESTORE replaced s:small with a deadline in the past: both deleted it
            assertThat(redis.call("EXISTS", "s:small").integer()).isZero();
            assertThat(c.run("EXISTS", "s:small")).isEqualTo(":0\r\n");
            assertThat(c.run("PTTL", "new")).isEqualTo(":100000\r\n");
        }
    }

    private static byte[] withCrc(final byte[] body) {
        final byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = RdbType.VERSION;
        final long crc = Crc64.of(p, 0, body.length + 2);
        for (int k = 0; k < 8; k++) {
            p[body.length + 2 + k] = (byte) (crc >>> (8 * k));
        }
        return p;
    }

    private static String resp2(final RespValue v) {
        switch (v.type()) {
            case ERROR:
                return "-" + v.string() + "\r\n";
            case SIMPLE:
                return "+" + v.string() + "\r\n";
            case NULL:
                return "$-1\r\n";
            case INTEGER:
                return ":" + v.integer() + "\r\n";
            default:
                return "$" + v.bytes().length + "\r\n" + Canon.text(v.bytes()) + "\r\n";
        }
    }
}
