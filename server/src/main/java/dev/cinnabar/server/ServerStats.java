package dev.cinnabar.server;

import dev.cinnabar.server.cron.InstantaneousMetric;

/** Server-wide counters for INFO stats (the keyspace keeps its own in Keyspace.Stats). */
public final class ServerStats {
    public long totalConnectionsReceived;
    public long rejectedConnections;
    public long netInputBytes;
    public long netOutputBytes;
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    public long clientQueryBufferLimitDisconnections;
    public long clientOutputBufferLimitDisconnections;
    public long peakMemory;
    /** Kept by the blocking-commands machinery; read by INFO clients. */
    public final InstantaneousMetric opsPerSec = new InstantaneousMetric();
    public final InstantaneousMetric inputBytesPerSec = new InstantaneousMetric();
    public final InstantaneousMetric outputBytesPerSec = new InstantaneousMetric();

    /** CONFIG RESETSTAT: the counters Redis's resetServerStats clears. */
    public void reset() {
        totalConnectionsReceived = 0;
        rejectedConnections = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        totalReadsProcessed = 0;
        totalWritesProcessed = 0;
        clientQueryBufferLimitDisconnections = 0;
        clientOutputBufferLimitDisconnections = 0;
    }
}
