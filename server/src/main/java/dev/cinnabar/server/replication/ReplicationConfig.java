package dev.cinnabar.server.replication;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.replication.ReplicationSettings;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.config.ConfigParam;
import dev.cinnabar.server.config.ConfigTable;
import dev.cinnabar.server.config.ServerConfig;

/**
 * Copies the replication parameters of the config table into the typed {@link ReplicationSettings}
 * the replication code reads.
 *
 * <p>Why it watches CONFIG SET's call count: the table keeps these values as text; reading them
 * per command would convert on the write path. The copy is refreshed every cron tick and, so a
 * CONFIG SET applies to the very next command (as Redis's apply functions do), whenever the
 * number of CONFIG SET calls moved since the last copy — one long comparison per check.
 */
final class ReplicationConfig {
    private final Server server;
    private final ReplicationSettings settings;
    private final ConfigParam announceIp;
    private final ConfigParam announcePort;
    private final ConfigParam announced;
    private final ConfigParam priority;
    private final ConfigParam readOnly;
    private final ConfigParam serveStale;
    private final ConfigParam masterauth;
    private final ConfigParam masteruser;
    private final ConfigParam pingPeriod;
    private final ConfigParam timeout;
    private final ConfigParam backlogTtl;
    private final ConfigParam diskless;
    private final ConfigParam disklessDelay;
    private final ConfigParam disklessMax;
    private final ConfigParam disklessLoad;
    private final ConfigParam minToWrite;
    private final ConfigParam minMaxLag;
    private final ConfigParam masterLease;
    private final ConfigParam startFenced;
    private final ConfigParam syncReplicas;
    private final ConfigParam syncTimeout;
    private final int configSetId;
    private long configSets = -1;

    ReplicationConfig(final Server server, final ReplicationSettings settings) {
        this.server = server;
        this.settings = settings;
        final ConfigTable t = server.configTable();
        announceIp = t.find("replica-announce-ip");
        announcePort = t.find("replica-announce-port");
        announced = t.find("replica-announced");
        priority = t.find("replica-priority");
        readOnly = t.find("replica-read-only");
        serveStale = t.find("replica-serve-stale-data");
        masterauth = t.find("masterauth");
        masteruser = t.find("masteruser");
        pingPeriod = t.find("repl-ping-replica-period");
        timeout = t.find("repl-timeout");
        backlogTtl = t.find("repl-backlog-ttl");
        diskless = t.find("repl-diskless-sync");
        disklessDelay = t.find("repl-diskless-sync-delay");
        disklessMax = t.find("repl-diskless-sync-max-replicas");
        disklessLoad = t.find("repl-diskless-load");
        minToWrite = t.find("min-replicas-to-write");
        minMaxLag = t.find("min-replicas-max-lag");
        masterLease = t.find("cinnabar-master-lease-ms");
        startFenced = t.find("cinnabar-start-fenced-ms");
        syncReplicas = t.find("cinnabar-sync-replicas");
        syncTimeout = t.find("cinnabar-sync-timeout-ms");
        final CommandSpec config = server.commandTable().lookup("config");
        final CommandSpec set = config == null ? null : config.subcommands().get("set");
        configSetId = set == null ? -1 : set.id();
    }

    /** Refreshes the copy if a CONFIG SET ran since the last one. */
    void refreshIfChanged() {
        if (configSetId >= 0 && server.commandStats().calls(configSetId) != configSets) {
            refresh();
        }
    }

    void refresh() {
        if (configSetId >= 0) {
            configSets = server.commandStats().calls(configSetId);
        }
        final ServerConfig c = server.config();
        settings.listeningPort = server.replicationPort();
        settings.announceIp = announceIp.value();
        settings.announcePort = (int) number(announcePort);
        settings.replicaAnnounced = yes(announced);
        settings.replicaPriority = (int) number(priority);
        settings.replicaReadOnly = yes(readOnly);
        settings.replicaServeStaleData = yes(serveStale);
        settings.masterauth = masterauth.value();
        settings.masteruser = masteruser.value();
        settings.pingPeriodSeconds = number(pingPeriod);
        settings.timeoutSeconds = number(timeout);
        settings.backlogTtlSeconds = number(backlogTtl);
        settings.disklessSync = yes(diskless);
        settings.disklessSyncDelaySeconds = number(disklessDelay);
        settings.disklessSyncMaxReplicas = number(disklessMax);
        settings.disklessLoad = disklessLoad.value();
        settings.minReplicasToWrite = number(minToWrite);
        settings.minReplicasMaxLagSeconds = number(minMaxLag);
        settings.masterLeaseMs = number(masterLease);
        settings.startFencedMs = number(startFenced);
        settings.syncReplicas = number(syncReplicas);
        settings.syncTimeoutMs = number(syncTimeout);
        final long[] limits = c.clientOutputBufferLimits[1];
        settings.outputHardLimitBytes = limits[0];
        settings.outputSoftLimitBytes = limits[1];
        settings.outputSoftLimitSeconds = limits[2];
        settings.dir = c.dir;
        settings.dbfilename = c.dbfilename;
    }

    /** repl-backlog-size as the config holds it (ServerConfig has a typed field for it). */
    long backlogSize() {
        return server.config().replBacklogSize;
    }

    private static boolean yes(final ConfigParam p) {
        return "yes".equals(p.value());
    }

    private static long number(final ConfigParam p) {
        return Long.parseLong(p.value());
    }
}
