package dev.cinnabar.server.config;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.storage.commands.StorageSettings;

/**
 * The typed configuration the server reads on its hot paths. Fields are written only by the
 * apply hooks of {@link ConfigTable}, never parsed anywhere else.
 */
public final class ServerConfig {
    public int port;
    public List<String> bind = new ArrayList<>();
    public int databases;
    public int hz;
    public String requirepass = "";
    public boolean protectedMode;
    public int maxclients;
    public long timeoutSeconds;
    public long tcpKeepalive;
    public int tcpBacklog;
    public long clientQueryBufferLimit;
    public String dir = ".";
    public String dbfilename = "dump.rdb";
    public String logfile = "";
    public String loglevel = "notice";
    public boolean daemonize;
    public String pidfile = "";
    public long slowlogLogSlowerThan;
    public long slowlogMaxLen;
    public long latencyMonitorThreshold;
    public String notifyKeyspaceEvents = "";
    public int notifyFlags;
    public String latencyTrackingPercentiles = "50 99 99.9";
    public boolean latencyTracking = true;
    /** Where the config was read from, for CONFIG REWRITE and INFO config_file; null if none. */
    public String configFile;
    public final StorageSettings storage = new StorageSettings();
}
