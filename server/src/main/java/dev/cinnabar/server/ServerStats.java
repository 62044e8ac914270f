package dev.cinnabar.server;

/** Server-wide counters for INFO stats (the keyspace keeps its own in Keyspace.Stats). */
public final class ServerStats {
    public long totalConnectionsReceived;
    public long rejectedConnections;
    public long netInputBytes;
    public long netOutputBytes;
    public long clientQueryBufferLimitDisconnections;
    public long clientOutputBufferLimitDisconnections;
}
