package dev.cinnabar.sentinel;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One monitored instance: a master, one of its replicas, or another sentinel watching it. Redis: sentinel.c
 * sentinelRedisInstance. A master owns its replicas and sentinels; they point back to it.
 *
 * <p>Only the sentinel's loop touches it. Fields mirror Redis's names so the two can be read side by side.
 */
public final class SentinelInstance {
    /** What the instance is in our configuration (SRI_MASTER / SRI_SLAVE / SRI_SENTINEL). */
    public enum Kind {
        MASTER("master"), SLAVE("slave"), SENTINEL("sentinel");

        private final String text;

        Kind(final String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    static final int DEFAULT_SLAVE_PRIORITY = 100;
    static final int DEFAULT_PARALLEL_SYNCS = 1;

    final Kind kind;
    final EnumSet<InstanceFlag> flags = EnumSet.noneOf(InstanceFlag.class);
    final String name;
    String runid;
    long configEpoch;
    SentinelAddr addr;
    InstanceLink link;
    /** Set when the record is dropped, so late replies addressed to it are ignored. */
    boolean released;
    long lastPubTime;
    long lastHelloTime;
    long lastMasterDownReplyTime;
    long sDownSinceTime;
    long oDownSinceTime;
    long downAfterPeriod;
    long masterRebootDownAfterPeriod;
    long masterRebootSinceTime;
    long infoRefresh;
    /** rename-command: original name (any case) to the name the instance knows it by. */
    final Map<String, String> renamedCommands = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** The role the instance's INFO reports, null before the first report. */
    Kind roleReported;
    long roleReportedTime;
    long slaveConfChangeTime;

    // master only
    final Map<String, SentinelInstance> sentinels = new LinkedHashMap<>();
    final Map<String, SentinelInstance> slaves = new LinkedHashMap<>();
    int quorum;
    int parallelSyncs = DEFAULT_PARALLEL_SYNCS;
    String authPass;
    String authUser;

    // replica only
    long masterLinkDownTime;
    /** A Cinnabar master's INFO cinnabar_fence (null from Redis), and its master_repl_offset then (InfoRefresher). */
    String fence;
    long fenceReplOffset = -1;
    /**
     * A Cinnabar master fenced at start-up that must not be confirmed: it reports diverged, or a replica
     * reports a larger offset than it has (it restarted with less). FailureDetector calls it down.
     */
    boolean fenceBehind;
    /** The previous INFO already said cinnabar_fence:starting (InfoRefresher refreshes the replicas once). */
    boolean fenceStartingSeen;
    /**
     * The run id of the Cinnabar data node we last sent CONFIG SET cinnabar-start-fenced-ms (InfoRefresher
     * .setStartFence): once per run of the node, whatever it answered.
     */
    String startFenceSetFor;
    int slavePriority = DEFAULT_SLAVE_PRIORITY;
    int replicaAnnounced = 1;
    long slaveReconfSentTime;
    final SentinelInstance master;
    String slaveMasterHost;
    int slaveMasterPort;
    boolean slaveMasterLinkUp;
    long slaveReplOffset;

    // failover
    /** Master: the sentinel this one voted for; sentinel record: the leader that sentinel voted for. */
    String leader;
    long leaderEpoch;
    long failoverEpoch;
    FailoverState failoverState = FailoverState.NONE;
    long failoverStateChangeTime;
    long failoverStartTime;
    long failoverTimeout;
    long failoverDelayLogged;
    SentinelInstance promotedSlave;
    /** A master fenced by a coordinated failover: its writes are paused (CLIENT PAUSE WRITE) until it is demoted. */
    boolean fenced;
    /** The fenced master's master_repl_offset once its pause took effect, -1 until known. */
    long fenceOffset = -1;
    /** The chosen replica's slave_repl_offset from the last catch-up query, -1 until known. */
    long catchupOffset = -1;
    /** A catch-up INFO query is in flight on this instance's link. */
    boolean catchupQueryPending;
    String notificationScript;
    String clientReconfigScript;
    /** The last INFO reply, for SENTINEL INFO-CACHE. */
    String info;

    SentinelInstance(final Kind kind, final String name, final SentinelAddr addr, final int quorum,
                     final SentinelInstance master, final long nowMs, final SentinelTimings timings) {
        this.kind = kind;
        this.name = name;
        this.addr = addr;
        this.quorum = quorum;
        this.master = master;
        this.link = new InstanceLink(nowMs);
        this.lastPubTime = nowMs;
        this.lastHelloTime = nowMs;
        this.lastMasterDownReplyTime = nowMs;
        this.downAfterPeriod = master != null ? master.downAfterPeriod : timings.defaultDownAfter;
        this.failoverTimeout = timings.defaultFailoverTimeout;
        this.roleReported = kind == Kind.SENTINEL ? null : kind;
        this.roleReportedTime = nowMs;
        this.slaveConfChangeTime = nowMs;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public SentinelAddr addr() {
        return addr;
    }

    public String runid() {
        return runid;
    }

    public FailoverState failoverState() {
        return failoverState;
    }

    public long configEpoch() {
        return configEpoch;
    }

    boolean has(final InstanceFlag f) {
        return flags.contains(f);
    }

    boolean isMaster() {
        return kind == Kind.MASTER;
    }

    boolean isSlave() {
        return kind == Kind.SLAVE;
    }

    boolean isSentinel() {
        return kind == Kind.SENTINEL;
    }

    /** True when SDOWN or ODOWN is set (the down flags many checks look at together). */
    boolean isDown() {
        return flags.contains(InstanceFlag.S_DOWN) || flags.contains(InstanceFlag.O_DOWN);
    }

    /** The master this record belongs to (itself for a master). */
    SentinelInstance masterOf() {
        return kind == Kind.MASTER ? this : master;
    }

    /** sentinelRedisInstanceNoDownFor: no SDOWN/ODOWN started in the last {@code ms}. */
    boolean noDownFor(final long ms, final long nowMs) {
        final long mostRecent = Math.max(sDownSinceTime, oDownSinceTime);
        return mostRecent == 0 || nowMs - mostRecent > ms;
    }

    /** sentinelInstanceMapCommand: the name to send {@code command} as, after the master's rename-command. */
    String mapCommand(final String command) {
        final SentinelInstance m = master != null ? master : this;
        final String renamed = m.renamedCommands.get(command);
        return renamed != null ? renamed : command;
    }

    @Override
    public String toString() {
        return kind.text + " " + name + " " + addr.ip() + ":" + addr.port();
    }
}
