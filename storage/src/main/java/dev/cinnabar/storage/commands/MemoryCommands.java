package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.MemoryAccounting;

/**
 * MEMORY USAGE, DOCTOR, MALLOC-STATS, PURGE and HELP. USAGE answers from the same per-key
 * estimate the keyspace sums for used memory and eviction ({@link MemoryAccounting#entryBytes}),
 * so the figures are consistent with each other. The estimate is exact for our layout, so SAMPLES
 * is checked as Redis checks it but needs no sampling. MEMORY STATS, which reports server-wide
 * buffers, is not declared here.
 * Redis: object.c memoryCommand(), objectComputeSize(), getMemoryDoctorReport().
 */
public final class MemoryCommands implements CommandFamily {
    /** Redis's doctor stays silent below 5 MB of used memory. */
    private static final long DOCTOR_MIN_BYTES = 5L * 1024 * 1024;
    private static final String DOCTOR_EMPTY = "Hi Sam, this instance is empty or is using very little memory, my "
        + "issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it "
        + "with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.";
    private static final String DOCTOR_OK = "Hi Sam, I can't find any memory issue in your instance. I can only "
        + "account for what occurs on this base.";
    private static final String NO_MALLOC_STATS = "Stats not supported for the current allocator";
    private static final String[] HELP = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder m = t.command("MEMORY").arity(-2).since("4.0.0").group("server")
            .summary("A container for memory diagnostics commands").complexity("Depends on subcommand.");
        // declared in the order Redis 7.0's COMMAND lists them
        m.subcommand("MALLOC-STATS").arity(2).tips("nondeterministic_output", "request_policy:all_shards",
                "response_policy:special")
            .summary("Show allocator internal stats")
            .complexity("Depends on how much memory is allocated, could be slow")
            .handler((StorageCall c, Args a) -> c.reply().bulk(NO_MALLOC_STATS));
        m.subcommand("PURGE").arity(2).tips("request_policy:all_shards", "response_policy:all_succeeded")
            .summary("Ask the allocator to release memory")
            .complexity("Depends on how much memory is allocated, could be slow")
            .handler((StorageCall c, Args a) -> c.reply().ok());
        m.subcommand("USAGE").arity(-3).flags(READONLY).keys(KeySpec.index(2, KeySpec.RO))
            .summary("Estimate the memory usage of a key").complexity("O(N) where N is the number of samples.")
            .handler(this::usage);
        m.subcommand("DOCTOR").arity(2).tips("nondeterministic_output", "request_policy:all_shards",
                "response_policy:special")
            .summary("Outputs memory problems report").complexity("O(1)")
            .handler(this::doctor);
        m.subcommand("STATS").arity(2).tips("nondeterministic_output", "request_policy:all_shards",
                "response_policy:special")
            .summary("Show memory usage details").complexity("O(1)")
            .handler(this::stats);
        m.subcommand("HELP").arity(2).flags(LOADING, STALE).summary("Show helpful text about the different subcommands")
            .complexity("O(1)").handler(this::help);
    }

    /**
     * MEMORY USAGE key [SAMPLES count]: the key's entry, key bytes and value, or null. Like Redis
     * it finds the key without expiring it or counting a hit.
     */
    private void usage(final StorageCall c, final Args a) {
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "SAMPLES") && j + 1 < a.count()) {
                if (!a.isLong(j + 1)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                if (a.longValue(j + 1) < 0) {
                    c.reply().error(Errors.SYNTAX);
                    return;
                }
                j++;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        final Entry e = c.db().dict().find(a.array(), a.offset(2), a.length(2));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(MemoryAccounting.entryBytes(e));
    }

    /**
     * MEMORY STATS, Redis 7.0's fields in its order: the process figures the server measured, then
     * each non-empty database's table overheads, then the derived totals and ratios (no Lua,
     * functions, cluster or AOF here: those are 0).
     */
    private void stats(final StorageCall c, final Args a) {
        final Keyspace ks = c.keyspace();
        final MemoryFigures f = c.memoryFigures();
        int dbs = 0;
        long keys = 0;
        for (int i = 0; i < ks.databases(); i++) {
            if (ks.db(i).size() > 0) {
                dbs++;
                keys += ks.db(i).size();
            }
        }
        final RespWriter w = c.reply();
        w.map(27 + dbs);
        w.bulk("peak.allocated").integer(f.peak());
        w.bulk("total.allocated").integer(f.used());
        w.bulk("startup.allocated").integer(f.startup());
        w.bulk("replication.backlog").integer(f.backlog());
        w.bulk("clients.slaves").integer(0);
        w.bulk("clients.normal").integer(f.clientsNormal());
        w.bulk("cluster.links").integer(0);
        w.bulk("aof.buffer").integer(0);
        w.bulk("lua.caches").integer(0);
        w.bulk("functions.caches").integer(0);
        for (int i = 0; i < ks.databases(); i++) {
            final Database db = ks.db(i);
            if (db.size() > 0) {
                w.bulk("db." + i).map(3);
                w.bulk("overhead.hashtable.main").integer(MemoryAccounting.mainTableOverhead(db));
                w.bulk("overhead.hashtable.expires").integer(MemoryAccounting.expiresTableOverhead(db));
                w.bulk("overhead.hashtable.slot-to-keys").integer(0);
            }
        }
        final long sinceStartup = f.used() - f.startup();
        w.bulk("overhead.total").integer(f.overhead(ks));
        w.bulk("keys.count").integer(keys);
        w.bulk("keys.bytes-per-key").integer(keys == 0 ? 0 : Math.max(0, sinceStartup) / keys);
        w.bulk("dataset.bytes").integer(f.dataset(ks));
        w.bulk("dataset.percentage").doubleValue(f.datasetPercentage(ks));
        w.bulk("peak.percentage").doubleValue(f.peak() == 0 ? 0 : f.used() * 100.0 / f.peak());
        w.bulk("allocator.allocated").integer(f.heapUsed());
        w.bulk("allocator.active").integer(f.heapCommitted());
        w.bulk("allocator.resident").integer(f.rss());
        w.bulk("allocator-fragmentation.ratio").doubleValue(ratio(f.heapCommitted(), f.heapUsed()));
        w.bulk("allocator-fragmentation.bytes").integer(f.heapCommitted() - f.heapUsed());
        w.bulk("allocator-rss.ratio").doubleValue(ratio(f.rss(), f.heapCommitted()));
        w.bulk("allocator-rss.bytes").integer(f.rss() - f.heapCommitted());
        w.bulk("rss-overhead.ratio").doubleValue(1.0);
        w.bulk("rss-overhead.bytes").integer(0);
        w.bulk("fragmentation").doubleValue(ratio(f.rss(), f.used()));
        w.bulk("fragmentation.bytes").integer(f.rss() - f.used());
    }

    private static double ratio(final long a, final long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private void doctor(final StorageCall c, final Args a) {
        final String report = c.keyspace().usedMemory() < DOCTOR_MIN_BYTES ? DOCTOR_EMPTY : DOCTOR_OK;
        c.reply().verbatim("txt", report);
    }

    private void help(final StorageCall c, final Args a) {
        final RespWriter w = c.reply();
        w.array(HELP.length);
        for (final String line : HELP) {
            w.simple(line);
        }
    }
}
