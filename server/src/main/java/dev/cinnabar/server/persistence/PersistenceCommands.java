package dev.cinnabar.server.persistence;

import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.NO_ASYNC_LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.NO_MULTI;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.net.ClientSession;

/** SAVE and BGSAVE, with Redis 7.0's flags and replies; the work is {@link Persistence}'s. */
public final class PersistenceCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        t.command("SAVE").arity(1).flags(CommandFlag.ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).group("server")
            .summary("Synchronously save the dataset to disk")
            .complexity("O(N) where N is the total number of keys in all databases").handler(this::save);
        t.command("BGSAVE").arity(-1).flags(CommandFlag.ADMIN, NOSCRIPT, NO_ASYNC_LOADING).group("server")
            .summary("Asynchronously save the dataset to disk").complexity("O(1)").handler(this::bgsave);
    }

    private void save(final ClientSession c, final Args a) {
        final String error = c.server().persistence().saveCommand();
        if (error == null) {
            c.reply().ok();
        } else {
            c.reply().error(error);
        }
    }

    private void bgsave(final ClientSession c, final Args a) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "SCHEDULE"))) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        switch (c.server().persistence().bgsaveCommand(c.multi().executing())) {
            case STARTED -> c.reply().simple("Background saving started");
            case SCHEDULED -> c.reply().simple("Background saving scheduled");
            case IN_PROGRESS -> c.reply().error(Errors.BGSAVE_IN_PROGRESS);
            case FAILED -> c.reply().error("ERR");
        }
    }
}
