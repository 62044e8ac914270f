package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.AclCategory.KEYSPACE;
import static dev.cinnabar.protocol.command.CommandFlag.ASKING;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.rdb.AccessStamp;
import dev.cinnabar.storage.rdb.DumpPayload;
import dev.cinnabar.storage.rdb.RdbException;

/**
 * DUMP, RESTORE (and RESTORE-ASKING, the same outside a cluster): a value moved between servers
 * as Redis's payload (the RDB serialization of the value, the RDB version, a CRC-64), so a payload
 * from real Redis restores here and back.
 *
 * <p>RESTORE checks in Redis's order, so the same bad call gets the same error: options, then
 * BUSYKEY, then the TTL, then version and checksum, then the body. A relative TTL propagates as
 * an absolute one with ABSTTL appended; a restore whose deadline already passed only deletes the
 * replaced key (and propagates DEL). Redis: cluster.c dumpCommand(), restoreCommand().
 */
public final class DumpCommands implements CommandFamily {
    private static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    private static final String INVALID_TTL = "ERR Invalid TTL value, must be >= 0";
    private static final String INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    private static final String INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
    private static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    private static final String BAD_DATA = "ERR Bad data format";
    private static final byte[] ABSTTL = Bytes.ascii("ABSTTL");
    private static final byte[] DEL = Bytes.ascii("DEL");
    private static final int MAX_FREQ = 255;
    private static final String RESTORE_COMPLEXITY = "O(1) to create the new key and additional O(N*M) to reconstruct "
        + "the serialized value, where N is the number of Redis objects composing the value and M their average size. "
        + "For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However "
        + "for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is "
        + "O(log(N)).";

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("DUMP").arity(2).flags(READONLY).acl(KEYSPACE).since("2.6.0")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS)).tips("nondeterministic_output")
            .summary("Return a serialized version of the value stored at the specified key.")
            .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the number of "
                + "Redis objects composing the value and M their average size. For small string values the time "
                + "complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
            .handler(this::dump);
        t.command("RESTORE").arity(-4).flags(WRITE, DENYOOM).acl(KEYSPACE, DANGEROUS).since("2.6.0")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE))
            .summary("Create a key using the provided serialized value, previously obtained using DUMP.")
            .complexity(RESTORE_COMPLEXITY)
            .handler(this::restore);
        // the cluster's MIGRATE target form; outside a cluster it is RESTORE
        t.command("RESTORE-ASKING").arity(-4).flags(WRITE, DENYOOM, ASKING).acl(KEYSPACE, DANGEROUS).since("3.0.0")
            .group("server").keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE))
            .summary("An internal command for migrating keys in a cluster")
            .complexity(RESTORE_COMPLEXITY)
            .handler(this::restore);
    }

    private void dump(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        final StorageSettings s = c.settings();
        c.reply().bulk(DumpPayload.create(v, s.rdbCompression, s.listMaxListpackSize));
    }

    private void restore(final StorageCall c, final Args a) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < a.count(); j++) {
            final boolean more = j + 1 < a.count();
            if (a.is(j, "REPLACE")) {
                replace = true;
            } else if (a.is(j, "ABSTTL")) {
                absttl = true;
            } else if (a.is(j, "IDLETIME") && more && freq == -1) {
                if (!a.isLong(++j)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                idle = a.longValue(j);
                if (idle < 0) {
                    c.reply().error(INVALID_IDLETIME);
                    return;
                }
            } else if (a.is(j, "FREQ") && more && idle == -1) {
                if (!a.isLong(++j)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                freq = a.longValue(j);
                if (freq < 0 || freq > MAX_FREQ) {
                    c.reply().error(INVALID_FREQ);
                    return;
                }
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        final Database db = c.db();
        if (!replace && db.lookupWrite(a, 1) != null) {
            c.reply().error(BUSYKEY);
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long ttl = a.longValue(2);
        if (ttl < 0) {
            c.reply().error(INVALID_TTL);
            return;
        }
        final byte[] payload = a.array();
        final int off = a.offset(3);
        final int len = a.length(3);
        if (!DumpPayload.verify(payload, off, len)) {
            c.reply().error(BAD_PAYLOAD);
            return;
        }
        final Object value;
        try {
            value = DumpPayload.parse(payload, off, len, c.settings());
        } catch (RdbException e) {
            c.reply().error(BAD_DATA);
            return;
        }
        if (value == null) {
            c.reply().error(BAD_DATA);
            return;
        }
        final boolean deleted = replace && db.delete(a.array(), a.offset(1), a.length(1));
        final byte[] key = a.copy(1);
        if (ttl != 0 && !absttl) {
            ttl += c.nowMs();
        }
        if (ttl != 0 && KeyCommands.alreadyExpired(c, ttl)) {
            if (deleted) {
                c.propagateAs(DEL, key);
                db.signalModified(key);
                db.notify(Notify.GENERIC, "del", key);
                c.keyspace().dirty++;
            }
            c.reply().ok();
            return;
        }
        final Entry e = db.add(key, value);
        if (ttl != 0) {
            db.setExpire(key, ttl);
            if (!absttl) {
                final byte[][] argv = new byte[a.count() + 1][];
                for (int i = 0; i < a.count(); i++) {
                    argv[i] = a.copy(i);
                }
                argv[2] = Bytes.fromLong(ttl);
                argv[a.count()] = ABSTTL;
                c.propagateAs(argv);
            }
        }
        AccessStamp.apply(c.keyspace(), e, idle, freq, c.nowMs());
        db.signalModified(key);
        db.notify(Notify.GENERIC, "restore", key);
        c.keyspace().dirty++;
        c.reply().ok();
    }
}
