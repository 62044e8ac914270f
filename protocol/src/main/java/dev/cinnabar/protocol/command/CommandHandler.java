package dev.cinnabar.protocol.command;

import dev.cinnabar.protocol.resp.Args;

/**
 * Executes one command. {@code C} is the narrowest view of the caller the family needs (a storage
 * command sees the keyspace, a server command the session); the server's call object implements
 * every view, which is what makes the table's unchecked dispatch sound.
 */
@FunctionalInterface
public interface CommandHandler<C extends CommandCall> {
    void handle(C call, Args args);
}
