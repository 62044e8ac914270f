package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.STRING;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.Strings;

/** The string family: GET, SET and the rest of Redis 7.0's string commands. */
public final class StringCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        t.command("GET").arity(2).flags(READONLY, FAST).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS))
            .summary("Get the value of a key").complexity("O(1)")
            .handler(this::get);
        t.command("SET").arity(-3).flags(WRITE, DENYOOM).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE | KeySpec.VARIABLE_FLAGS))
            .summary("Set the string value of a key").complexity("O(1)")
            .handler(this::set);
    }

    private void get(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().nullBulk();
        } else if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
        } else {
            c.reply().bulk(Strings.array(v), 0, Strings.length(v));
        }
    }

    /** Minimal SET (no options yet); the string family issue completes it. */
    private void set(final StorageCall c, final Args a) {
        if (a.count() != 3) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final Database db = c.db();
        final byte[] key = a.copy(1);
        db.set(key, a.copy(2), false);
        c.keyspace().dirty++;
        c.keyspace().events().notify(Notify.STRING, "set", key, db.id());
        c.reply().ok();
    }
}
