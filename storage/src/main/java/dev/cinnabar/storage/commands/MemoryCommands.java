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
import dev.cinnabar.storage.keyspace.Entry;
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
        m.subcommand("USAGE").arity(-3).flags(READONLY).keys(KeySpec.index(2, KeySpec.RO))
            .summary("Estimate the memory usage of a key").complexity("O(N) where N is the number of samples.")
            .handler(this::usage);
        m.subcommand("DOCTOR").arity(2).tips("nondeterministic_output", "request_policy:all_shards",
                "response_policy:special")
            .summary("Outputs memory problems report").complexity("O(1)")
            .handler(this::doctor);
        m.subcommand("MALLOC-STATS").arity(2).tips("nondeterministic_output", "request_policy:all_shards",
                "response_policy:special")
            .summary("Show allocator internal stats")
            .complexity("Depends on how much memory is allocated, could be slow")
            .handler((StorageCall c, Args a) -> c.reply().bulk(NO_MALLOC_STATS));
        m.subcommand("PURGE").arity(2).tips("request_policy:all_shards", "response_policy:all_succeeded")
            .summary("Ask the allocator to release memory")
            .complexity("Depends on how much memory is allocated, could be slow")
            .handler((StorageCall c, Args a) -> c.reply().ok());
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
