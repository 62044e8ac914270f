package dev.cinnabar.replication;

/**
 * The replication parameters, under Redis 7.0's config names, as typed fields the replication
 * code reads on its paths. The server copies them from its config table; tests set them directly.
 */
public final class ReplicationSettings {
    /** The port this server listens on, announced with REPLCONF listening-port. */
    public int listeningPort = 6379;
    /** replica-announce-ip: sent as REPLCONF ip-address when not empty. */
    public String announceIp = "";
    /** replica-announce-port: replaces the listening port in REPLCONF when not 0. */
    public int announcePort;
    public boolean replicaAnnounced = true;
    public int replicaPriority = 100;
    public boolean replicaReadOnly = true;
    public boolean replicaServeStaleData = true;
    public String masterauth = "";
    public String masteruser = "";
    public long pingPeriodSeconds = 10;
    public long timeoutSeconds = 60;
    public long backlogSizeBytes = 1024 * 1024;
    public long backlogTtlSeconds = 3600;
    public boolean disklessSync = true;
    public long disklessSyncDelaySeconds = 5;
    public long disklessSyncMaxReplicas;
    /** repl-diskless-load: disabled, on-empty-db or swapdb. */
    public String disklessLoad = "disabled";
    public long minReplicasToWrite;
    public long minReplicasMaxLagSeconds = 10;
    /** cinnabar-master-lease-ms: the master's lease from its sentinels (fence.MasterFence); 0 turns it off. */
    public long masterLeaseMs = 2000;
    /**
     * cinnabar-sync-replicas: a master's reply to a write waits until this many replicas acknowledged
     * it (while at least this many are online); 0: replies at once, as Redis.
     */
    public long syncReplicas = 1;
    /** cinnabar-sync-timeout-ms: a reply held longer is never sent; the client's connection closes. */
    public long syncTimeoutMs = 2000;
    /** cinnabar-start-fenced-ms: a master starts fenced for at most this long when no sentinel speaks; 0: off. */
    public long startFencedMs;
    /** client-output-buffer-limit for the replica class: hard, soft, soft seconds (0 = no limit). */
    public long outputHardLimitBytes = 256L * 1024 * 1024;
    public long outputSoftLimitBytes = 64L * 1024 * 1024;
    public long outputSoftLimitSeconds = 60;
    /** Where a disk-based full sync writes the RDB (dir + dbfilename) and a replica its temp file. */
    public String dir = ".";
    public String dbfilename = "dump.rdb";

    /** The port a replica announces: replica-announce-port, or the listening port. */
    public int announcedPort() {
        return announcePort != 0 ? announcePort : listeningPort;
    }
}
