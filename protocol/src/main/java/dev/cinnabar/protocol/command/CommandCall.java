package dev.cinnabar.protocol.command;

import dev.cinnabar.protocol.resp.RespWriter;

/**
 * What every handler may touch: the reply, the loop's cached clock, and the three ways to change
 * what is propagated to replicas and the AOF (Redis's preventCommandPropagation,
 * alsoPropagate, and rewriting the command vector). Handlers never talk to replicas themselves.
 */
public interface CommandCall {
    RespWriter reply();

    /** Milliseconds since the epoch, read once per event-loop turn (Redis's server.mstime). */
    long nowMs();

    /** Propagate this vector instead of the command as received (e.g. SET EX as SET PXAT). */
    void propagateAs(byte[]... argv);

    /** Propagate an additional command after this one (e.g. DEL for a key found expired). */
    void alsoPropagate(byte[]... argv);

    /** Propagate nothing for this call, even though it changed the keyspace. */
    void preventPropagation();
}
