package dev.cinnabar.storage.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.MemoryAccounting;
import dev.cinnabar.storage.type.MemorySizes;

/**
 * The keyspace's running used-memory estimate against a full recount after every command of a
 * seeded random workload over every data type: a command that changes a value without telling the
 * keyspace (no lookup for writing) would make the two drift apart.
 */
class MemoryAccountingTest {
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands(), new ListCommands(),
        new HashCommands(), new SetCommands(), new ZSetCommands(), new SortCommands(), new BitmapCommands(),
        new MemoryCommands());

    private static long recount(final Keyspace ks) {
        long n = 0;
        for (int i = 0; i < ks.databases(); i++) {
            final Database db = ks.db(i);
            final long[] sum = {0};
            db.dict().forEach((Entry e) -> sum[0] += MemoryAccounting.entryBytes(e));
            n += sum[0] + MemoryAccounting.EXPIRE_ENTRY_BYTES * db.expires().size()
                + MemorySizes.REFERENCE * ((long) db.dict().buckets() + db.expires().buckets());
        }
        return n;
    }

    private static final String[] TEMPLATES = {
        "SET k%k v%v", "APPEND k%k tail%v", "SETRANGE k%k %n x%v", "INCR n%k", "DEL k%k", "GETDEL k%k",
        "SETBIT k%k %n 1", "EXPIRE k%k 100", "PERSIST k%k", "RENAME k%k k%v", "COPY k%k k%v", "MOVE k%k 1",
        "RPUSH l%k a%v b%v", "LPUSH l%k %v", "LPOP l%k", "RPOP l%k 2", "LSET l%k 0 new%v", "LTRIM l%k 0 %n",
        "LREM l%k 0 a%v", "LINSERT l%k BEFORE a%v z%v", "LMOVE l%k l%v LEFT RIGHT",
        "HSET h%k f%v v%v f%n %v", "HDEL h%k f%v", "HINCRBY h%k c%v 3", "HSET h%k big%v %big",
        "SADD s%k %v m%v", "SREM s%k %v m%v", "SPOP s%k", "SMOVE s%k s%v m%v", "SINTERSTORE s%k s%v s%n",
        "ZADD z%k %n m%v", "ZINCRBY z%k 2 m%v", "ZREM z%k m%v", "ZPOPMIN z%k", "ZADD z%k %n %big",
        "ZUNIONSTORE z%k 2 z%v z%n", "ZREMRANGEBYRANK z%k 0 1",
        "SORT l%k ALPHA STORE l%v", "SORT z%k BY nosort", "SORT s%k ALPHA LIMIT 0 2 STORE k%v",
        "SWAPDB 0 1", "SELECT", "FLUSHDB",
    };

    @Test
    void runningEstimateEqualsARecountAfterEveryCommand() {
        final Random r = new Random(42);
        t.settings.hashMaxListpackEntries = 4;
        t.settings.zsetMaxListpackEntries = 4;
        t.settings.setMaxIntsetEntries = 4;
        final String big = "x".repeat(80);
        for (int i = 0; i < 4000; i++) {
            // FLUSHDB, the last template, only now and then so the key space fills up between
            final String template = TEMPLATES[r.nextInt(TEMPLATES.length - (i % 700 == 699 ? 0 : 1))];
            if (template.equals("SELECT")) {
                t.select(r.nextInt(2));
                continue;
            }
            final String command = template.replace("%k", Integer.toString(r.nextInt(6)))
                .replace("%v", Integer.toString(r.nextInt(8))).replace("%n", Integer.toString(r.nextInt(12)))
                .replace("%big", big);
            t.run(command.split(" "));
            assertThat(t.keyspace.usedMemory()).as("after " + command).isEqualTo(recount(t.keyspace));
        }
        assertThat(t.keyspace.totalKeys()).isPositive();
    }

    @Test
    void estimatesArePlausibleAndMemoryUsageAgrees() {
        final long empty = t.keyspace.usedMemory();
        t.run("SET", "key:0000001", "value:0000000001");
        final long oneString = t.keyspace.usedMemory() - empty;
        // entry 32 + key array 32 + value array 32 plus the dict's first table of 4 buckets
        assertThat(oneString).isBetween(96L, 96L + 16 + 16);
        assertThat(t.run("MEMORY", "USAGE", "key:0000001")).isEqualTo(":96\r\n");
        assertThat(t.run("MEMORY", "USAGE", "key:0000001", "SAMPLES", "0")).isEqualTo(":96\r\n");
        for (int i = 0; i < 1000; i++) {
            t.run("HSET", "big", "field" + i, "value" + i);
        }
        final String usage = t.run("MEMORY", "USAGE", "big");
        final long bytes = Long.parseLong(usage.substring(1, usage.length() - 2));
        // a hashtable of 1000 pairs of ~10-byte strings: between 64 and 160 bytes a pair
        assertThat(bytes).isBetween(64_000L, 160_000L);
        t.run("DEL", "big", "key:0000001");
        t.keyspace.db(0).cronResize(1000);
        assertThat(t.keyspace.usedMemory()).isEqualTo(recount(t.keyspace));
        assertThat(t.run("MEMORY", "USAGE", "big")).isEqualTo("$-1\r\n");
    }
    @Test
    void memoryStatsReportsEachNonEmptyDatabaseAndTheTotalsRedisDoes() {
        t.run("SET", "a", "1");
        t.select(2);
        t.run("SET", "x", "1", "EX", "100");
        t.select(0);
        final String stats = t.run("MEMORY", "STATS");
        assertThat(stats).startsWith("*58\r\n$14\r\npeak.allocated\r\n")
            .contains("$4\r\ndb.0\r\n*6\r\n$23\r\noverhead.hashtable.main\r\n")
            .contains("$4\r\ndb.2\r\n").doesNotContain("db.1")
            .contains("$10\r\nkeys.count\r\n:2\r\n")
            .contains("$15\r\ntotal.allocated\r\n:" + t.keyspace.usedMemory() + "\r\n")
            .endsWith("$19\r\nfragmentation.bytes\r\n:0\r\n");
        assertThat(t.resp3().run("MEMORY", "STATS")).startsWith("%29\r\n")
            .contains("$18\r\ndataset.percentage\r\n,");
    }
}
