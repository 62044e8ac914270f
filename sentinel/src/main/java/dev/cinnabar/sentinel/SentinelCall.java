package dev.cinnabar.sentinel;

import dev.cinnabar.protocol.command.CommandCall;

/** The view of a call the SENTINEL commands need: the reply, the clock, and the sentinel the server hosts. */
public interface SentinelCall extends CommandCall {
    Sentinel sentinel();
}
