package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.storage.commands.StorageFamilies;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.Lfu;

/** Files written by RdbWriter load back with the same keys, values, deadlines and encodings. */
class RdbRoundTripTest {
    static StorageTestCall filled() {
        final StorageTestCall c = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
        Workload.apply(Workload.everyEncoding(), c);
        return c;
    }

    static byte[] save(final Keyspace ks, final RdbOptions o) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, o, RdbAux.of(ks.nowMs(), 1234));
        return out.toByteArray();
    }

    static Keyspace load(final byte[] file, final long nowMs) throws IOException {
        final Keyspace ks = new Keyspace(16);
        ks.nowMs(nowMs);
        RdbLoader.load(new ByteArrayInputStream(file), file.length, ks, nowMs, true);
        return ks;
    }

    @ParameterizedTest
    @CsvSource({"true,true,-2", "false,true,-2", "true,false,-1", "true,true,-5", "true,true,1", "false,true,7",
        "true,true,128"})
    void shouldRoundTripEveryTypeAndEncoding(final boolean compression, final boolean checksum, final int fill)
        throws IOException {
        final StorageTestCall c = filled();
        final byte[] file = save(c.keyspace, new RdbOptions(compression, checksum, fill, false, false));
        final Keyspace back = load(file, c.nowMs());
        assertThat(Canon.of(back)).isEqualTo(Canon.of(c.keyspace));
        assertThat(Canon.encodings(back)).isEqualTo(Canon.encodings(c.keyspace));
        assertThat(Canon.of(back)).containsKeys("0:s:big", "1:db1-list", "15:db15-hash");
    }

    @Test
    void shouldWriteRedisHeaderAndAuxFields() throws IOException {
        final StorageTestCall c = filled();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(c.keyspace, out, RdbOptions.defaults(),
            RdbAux.of(1_700_000_000_000L, 5000).withReplication(0, "a".repeat(40), 1234567));
        final RdbLoadResult r = new RdbLoader(c.settings).parse(new ByteArrayInputStream(out.toByteArray()), -1,
            (db, key, value, expireMs, idle, freq) -> { });
        assertThat(r.version()).isEqualTo(10);
        assertThat(r.aux().keySet()).containsExactly("redis-ver", "redis-bits", "ctime", "used-mem",
            "repl-stream-db", "repl-id", "repl-offset", "aof-base");
        assertThat(r.auxString("redis-ver")).isEqualTo("7.0.15");
        assertThat(r.auxLong("ctime", 0)).isEqualTo(1_700_000_000L);
        assertThat(r.replId()).isEqualTo("a".repeat(40));
        assertThat(r.replOffset()).isEqualTo(1234567);
        assertThat(r.replStreamDb()).isZero();
        assertThat(r.checksum()).isEqualTo(RdbLoadResult.Checksum.VERIFIED);
        assertThat(r.keys()).isEqualTo(c.keyspace.totalKeys());
    }

    @Test
    void shouldCarryIdleTimeUnderLruAndFrequencyUnderLfu() throws IOException {
        final StorageTestCall c = filled();
        c.settings.maxmemoryPolicy = "allkeys-lru";
        c.run("SET", "idle", "x");
        c.advance(50_000);
        final byte[] lru = save(c.keyspace, RdbOptions.of(c.settings, true, true));
        final Keyspace back = new Keyspace(16);
        back.settings().maxmemoryPolicy = "allkeys-lru";
        back.nowMs(c.nowMs());
        RdbLoader.load(new ByteArrayInputStream(lru), back, c.nowMs());
        assertThat(back.idleSeconds(back.db(0).lookup("idle".getBytes()))).isBetween(49L, 51L);

        c.settings.maxmemoryPolicy = "allkeys-lfu";
        c.db().lookup("idle".getBytes()).lru = (Lfu.initial(c.nowMs()) & ~0xff) | 77;
        final byte[] lfu = save(c.keyspace, RdbOptions.of(c.settings, true, true));
        final Keyspace back2 = new Keyspace(16);
        back2.settings().maxmemoryPolicy = "allkeys-lfu";
        RdbLoader.load(new ByteArrayInputStream(lfu), back2, c.nowMs());
        assertThat(back2.db(0).lookup("idle".getBytes()).lru & 0xff).isEqualTo(77);
    }

    @Test
    void shouldDropExpiredKeysOnAMasterAndKeepThemOnAReplica() throws IOException {
        final StorageTestCall c = filled();
        c.run("SET", "gone", "x", "PX", "100");
        final byte[] file = save(c.keyspace, RdbOptions.defaults());
        final long later = c.nowMs() + 1000;
        final Keyspace master = new Keyspace(16);
        final RdbLoadResult r = RdbLoader.load(new ByteArrayInputStream(file), master, later);
        assertThat(master.db(0).dict().find("gone".getBytes())).isNull();
        assertThat(r.expiredSkipped()).isEqualTo(1);
        final Keyspace replica = new Keyspace(16);
        replica.replicaMode(true);
        RdbLoader.load(new ByteArrayInputStream(file), replica, later);
        assertThat(replica.db(0).dict().find("gone".getBytes())).isNotNull();
        assertThat(replica.db(0).expireAt("gone".getBytes())).isEqualTo(c.nowMs() + 100);
    }

    @Test
    void shouldRoundTripEveryValueThroughDumpPayloads() throws IOException {
        final StorageTestCall c = filled();
        for (int i = 0; i < 16; i++) {
            c.keyspace.db(i).dict().forEach(e -> {
                final byte[] p = DumpPayload.create(e.value, true, -2);
                assertThat(DumpPayload.verify(p, 0, p.length)).isTrue();
                try {
                    final Object back = DumpPayload.parse(p, 0, p.length, c.settings);
                    assertThat(Canon.of(back)).isEqualTo(Canon.of(e.value));
                    assertThat(Canon.encoding(back)).isEqualTo(Canon.encoding(e.value));
                } catch (RdbException x) {
                    throw new AssertionError(x);
                }
            });
        }
    }

    @Test
    void shouldRefuseDuplicateKeysAndMissingDatabases() {
        final byte[] dup = TestRdb.version(10).selectDb(0).key(RdbType.STRING, "k").str("a")
            .key(RdbType.STRING, "k").str("b").finish();
        assertThatThrownBy(() -> load(dup, 0)).isInstanceOf(RdbException.class)
            .hasMessage("RDB error at offset 16: duplicated key in DB 0 (key 'k')");
        final byte[] db20 = TestRdb.version(10).selectDb(20).key(RdbType.STRING, "k").str("a").finish();
        assertThatThrownBy(() -> load(db20, 0)).isInstanceOf(RdbException.class)
            .hasMessage("RDB error at offset 9: database index 20 out of range (databases 16)");
    }

    @Test
    void shouldLoadIntoEmptyDatabasesWithoutEvents() throws IOException {
        final StorageTestCall c = filled();
        final byte[] file = save(c.keyspace, RdbOptions.defaults());
        final StorageTestCall target = new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
        RdbLoader.load(new ByteArrayInputStream(file), target.keyspace, c.nowMs());
        assertThat(target.events).isEmpty();
        final Map<String, String> loaded = Canon.of(target.keyspace);
        assertThat(loaded).isEqualTo(Canon.of(c.keyspace));
        assertThat(target.run("OBJECT", "ENCODING", "z:129")).isEqualTo("$8\r\nskiplist\r\n");
        assertThat(target.run("LRANGE", "l:small", "0", "-1")).startsWith("*8\r\n$1\r\na\r\n$1\r\n1\r\n");
    }
}
