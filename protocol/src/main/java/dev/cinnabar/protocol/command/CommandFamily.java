package dev.cinnabar.protocol.command;

/** A family of commands that declares its specs and handlers in one place. */
public interface CommandFamily {
    void register(CommandTable.Builder table);
}
