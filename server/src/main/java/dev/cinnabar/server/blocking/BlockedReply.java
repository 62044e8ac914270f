package dev.cinnabar.server.blocking;

/** How a wait ends when no data came: the timeout's null reply, or CLIENT UNBLOCK ... ERROR. */
public enum BlockedReply {
    TIMEOUT,
    ERROR
}
