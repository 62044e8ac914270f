package dev.cinnabar.sentinel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cinnabar.protocol.util.Glob;
import dev.cinnabar.sentinel.SentinelEventSink.Level;
import dev.cinnabar.sentinel.SentinelInstance.Kind;

/**
 * The sentinel: the monitored masters with their replicas and fellow sentinels, the epochs, TILT, and the timer that
 * drives everything. Redis: sentinel.c (struct sentinelState, sentinelTimer(), sentinelHandleRedisInstance()).
 *
 * <p>Why this shape: Redis's sentinel is a single-threaded reactor, and ours is too. Every method runs on the host's
 * loop (the keyspace loop); links call back on it; the host calls {@link #tick(long)} about ten times a second.
 * Each tick runs, for every instance, a monitoring half (reconnect, PING / INFO / hello on their periods) and, unless
 * in TILT, an acting half (SDOWN, then for masters ODOWN, failover start, the failover state machine, and asking the
 * other sentinels). Every state change worth keeping is persisted through {@link #flushConfig()} before it is acted
 * upon.
 *
 * <ol>
 * <li>Time enters only as arguments ({@code nowMs}) or through the environment's clock in reply callbacks, so tests
 *     step it.</li>
 * <li>A failover's state is assigned only by {@link FailoverStateMachine#state}.</li>
 * <li>TILT: when two ticks are more than tilt-trigger apart (or time goes back), nothing acts for tilt-period;
 *     monitoring goes on.</li>
 * </ol>
 */
public final class Sentinel {
    public static final String HELLO_CHANNEL = "__sentinel__:hello";
    public static final int DEFAULT_PORT = 26379;
    static final int MAX_PENDING_COMMANDS = 100;
    /** Random delay added to a failover start so sentinels do not all ask for votes at once. */
    static final int MAX_DESYNC = 1000;
    static final int RUN_ID_SIZE = 40;
    static final int SIMFAILURE_CRASH_AFTER_ELECTION = 1;
    static final int SIMFAILURE_CRASH_AFTER_PROMOTION = 2;

    final SentinelEnvironment env;
    final SentinelTimings timings = new SentinelTimings();
    final Map<String, SentinelInstance> masters = new LinkedHashMap<>();
    final ScriptRunner scripts = new ScriptRunner(this);
    final InstanceMonitor monitor = new InstanceMonitor(this);
    final InfoRefresher infoRefresher = new InfoRefresher(this);
    final FailureDetector detector = new FailureDetector(this);
    final FailoverStateMachine failover = new FailoverStateMachine(this);

    String myid;
    long currentEpoch;
    boolean tilt;
    long tiltStartTime;
    long previousTime;
    /** Non-null once set, even to "" by SENTINEL CONFIG SET (as Redis keeps it). */
    String announceIp;
    int announcePort;
    boolean denyScriptsReconfig = true;
    /** sentinel coordinated-failover: fence a reachable old master before promoting (FailoverState.WAIT_CATCHUP). */
    boolean coordinatedFailover = true;
    String sentinelAuthUser;
    String sentinelAuthPass;
    boolean resolveHostnames;
    boolean announceHostnames;
    int simFailureFlags;
    private int hz = 10;

    public Sentinel(final SentinelEnvironment env) {
        this.env = env;
        this.previousTime = env.clock().getAsLong();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Call once the configuration is loaded and the server listens (Redis's sentinelIsRunning): picks and persists an
     * id if the config had none, logs it, and emits +monitor for every master.
     */
    public void start() {
        if (myid == null) {
            final StringBuilder sb = new StringBuilder(RUN_ID_SIZE);
            for (int i = 0; i < RUN_ID_SIZE; i++) {
                sb.append(Character.forDigit(env.random().nextInt(16), 16));
            }
            myid = sb.toString();
            flushConfig();
        }
        env.events().log(Level.WARNING, "Sentinel ID is " + myid);
        for (final SentinelInstance ri : masters.values()) {
            instanceEvent(Level.WARNING, "+monitor", ri, " quorum " + ri.quorum);
        }
        previousTime = env.clock().getAsLong();
    }

    /** Closes every link and kills running scripts. */
    public void shutdown() {
        for (final SentinelInstance m : masters.values()) {
            m.link.closeAll();
            for (final SentinelInstance s : m.slaves.values()) {
                s.link.closeAll();
            }
            for (final SentinelInstance s : m.sentinels.values()) {
                s.link.closeAll();
            }
        }
        scripts.killAll();
    }

    /** The timer (Redis's sentinelTimer); call every {@link #nextTickDelayMs()} ms with the current time. */
    public void tick(final long nowMs) {
        checkTiltCondition(nowMs);
        handleInstances(masters.values(), nowMs);
        scripts.tick(nowMs);
        // a varying frequency keeps sentinels started together from asking for votes in lockstep forever
        hz = 10 + env.random().nextInt(10);
    }

    /** When to tick next: 1000 / hz with hz drawn in 10..19 after every tick, as Redis varies server.hz. */
    public long nextTickDelayMs() {
        return 1000L / hz;
    }

    /** The current hz, what the host reports as INFO's hz in sentinel mode. */
    public int hz() {
        return hz;
    }

    private void checkTiltCondition(final long nowMs) {
        final long delta = nowMs - previousTime;
        if (delta < 0 || delta > timings.tiltTrigger) {
            tilt = true;
            tiltStartTime = nowMs;
            event(Level.WARNING, "+tilt", null, "#tilt mode entered");
        }
        previousTime = nowMs;
    }

    private void handleInstances(final Collection<SentinelInstance> instances, final long nowMs) {
        SentinelInstance switchToPromoted = null;
        for (final SentinelInstance ri : new ArrayList<>(instances)) {
            if (ri.released) {
                continue;
            }
            handleInstance(ri, nowMs);
            if (ri.isMaster()) {
                handleInstances(ri.slaves.values(), nowMs);
                handleInstances(ri.sentinels.values(), nowMs);
                if (ri.failoverState == FailoverState.UPDATE_CONFIG) {
                    switchToPromoted = ri;
                }
            }
        }
        if (switchToPromoted != null) {
            failover.switchToPromotedSlave(switchToPromoted, nowMs);
        }
    }

    private void handleInstance(final SentinelInstance ri, final long nowMs) {
        monitor.reconnect(ri, nowMs);
        monitor.sendPeriodicCommands(ri, nowMs);
        if (tilt) {
            if (nowMs - tiltStartTime < timings.tiltPeriod) {
                return;
            }
            tilt = false;
            event(Level.WARNING, "-tilt", null, "#tilt mode exited");
        }
        detector.checkSubjectivelyDown(ri, nowMs);
        if (ri.isMaster()) {
            checkMaster(ri, nowMs);
        }
    }

    /**
     * A master's ODOWN check, failover start and failover step, as each tick runs them; also run at
     * once when a peer's answer may complete a quorum or a vote, so ODOWN and the election do not
     * wait up to a tick (50-100 ms) after the answer that decides them.
     */
    void checkMaster(final SentinelInstance master, final long nowMs) {
        detector.checkObjectivelyDown(master, nowMs);
        if (failover.startIfNeeded(master, nowMs)) {
            detector.askMasterStateToOtherSentinels(master, true, nowMs);
        }
        failover.step(master, nowMs);
        detector.askMasterStateToOtherSentinels(master, false, nowMs);
    }

    // ---------------------------------------------------------------- events and persistence

    /** "%@": "type name ip port", plus "@ master-name ip port" for replicas and sentinels. */
    String describe(final SentinelInstance ri) {
        final StringBuilder sb = new StringBuilder();
        sb.append(ri.kind.text()).append(' ').append(ri.name).append(' ')
            .append(ri.addr.announce(announceHostnames)).append(' ').append(ri.addr.port());
        if (!ri.isMaster() && ri.master != null) {
            final SentinelInstance m = ri.master;
            sb.append(" @ ").append(m.name).append(' ').append(m.addr.announce(announceHostnames)).append(' ')
                .append(m.addr.port());
        }
        return sb.toString();
    }

    /** An event whose message starts with the instance description ("%@" + suffix). */
    void instanceEvent(final Level level, final String type, final SentinelInstance ri, final String suffix) {
        event(level, type, ri, describe(ri) + suffix);
    }

    /** sentinelEvent: log + publish through the sink, and the master's notification script for WARNING events. */
    void event(final Level level, final String type, final SentinelInstance ri, final String message) {
        env.events().event(level, type, message);
        if (level == Level.WARNING && ri != null) {
            final SentinelInstance m = ri.masterOf();
            if (m != null && m.notificationScript != null) {
                scripts.schedule(List.of(m.notificationScript, type, message));
            }
        }
    }

    void log(final Level level, final String message) {
        env.events().log(level, message);
    }

    /** sentinelFlushConfig: persist everything; false (and a warning in the log) when it failed. */
    public boolean flushConfig() {
        try {
            env.store().save(SentinelConfigRewriter.plan(this));
            log(Level.NOTICE, "Sentinel new configuration saved on disk");
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            log(Level.WARNING, "WARNING: Sentinel was not able to save the new configuration on disk!!!: "
                + e.getMessage());
            return false;
        }
    }

    // ---------------------------------------------------------------- instances

    /** Why an instance could not be created; the texts are the ones config loading and SENTINEL MONITOR report. */
    enum CreateError { BUSY, NOENT, INVAL }

    /** createSentinelRedisInstance failed. */
    static final class CreateException extends Exception {
        private static final long serialVersionUID = 1L;
        final CreateError error;

        CreateException(final CreateError error) {
            super(error.name(), null, false, false);
            this.error = error;
        }

        /** sentinelCheckCreateInstanceErrors. */
        String reason(final Kind kind) {
            switch (error) {
                case BUSY:
                    return kind == Kind.MASTER ? "Duplicate master name."
                        : kind == Kind.SLAVE ? "Duplicate hostname and port for replica."
                        : "Duplicate runid for sentinel.";
                case NOENT:
                    return "Can't resolve instance hostname.";
                default:
                    return "Invalid port number.";
            }
        }
    }

    /** createSentinelAddr: resolve (IP literals only unless resolve-hostnames), keeping the host as given. */
    SentinelAddr createAddr(final String host, final int port, final boolean acceptUnresolved)
        throws CreateException {
        if (port < 0 || port > 65535) {
            throw new CreateException(CreateError.INVAL);
        }
        String ip = env.resolver().resolve(host, resolveHostnames);
        if (ip == null) {
            log(Level.WARNING, "Failed to resolve hostname '" + host + "'");
            if (resolveHostnames && acceptUnresolved) {
                ip = "";
            } else {
                throw new CreateException(CreateError.NOENT);
            }
        }
        return new SentinelAddr(host, ip, port);
    }

    /** The address, or null when it cannot be resolved. */
    SentinelAddr tryAddr(final String host, final int port, final boolean acceptUnresolved) {
        try {
            return createAddr(host, port, acceptUnresolved);
        } catch (CreateException e) {
            return null;
        }
    }

    /** sentinelAddrEqualsHostname: resolve {@code hostname} and compare with the address's IP. */
    boolean addrEqualsHostname(final SentinelAddr a, final String hostname) {
        if (hostname == null) {
            return false;
        }
        final String ip = env.resolver().resolve(hostname, resolveHostnames);
        return ip != null && a.ip().equalsIgnoreCase(ip);
    }

    /**
     * createSentinelRedisInstance: a master (added to the monitored set), or a replica / sentinel of {@code master}.
     * A replica is named "ip:port" (as announced).
     */
    SentinelInstance createInstance(final String name, final Kind kind, final String host, final int port,
                                    final int quorum, final SentinelInstance master, final long nowMs)
        throws CreateException {
        final SentinelAddr addr = createAddr(host, port, true);
        final String key = kind == Kind.SLAVE ? addr.announceWithPort(announceHostnames) : name;
        final Map<String, SentinelInstance> table = kind == Kind.MASTER ? masters
            : kind == Kind.SLAVE ? master.slaves : master.sentinels;
        if (table.containsKey(key)) {
            throw new CreateException(CreateError.BUSY);
        }
        final SentinelInstance ri = new SentinelInstance(kind, key, addr, quorum, master, nowMs, timings);
        table.put(key, ri);
        return ri;
    }

    /** releaseSentinelRedisInstance: drops the record, its replicas and sentinels, and its share of the link. */
    void release(final SentinelInstance ri) {
        for (final SentinelInstance s : ri.sentinels.values()) {
            release(s);
        }
        for (final SentinelInstance s : ri.slaves.values()) {
            release(s);
        }
        ri.sentinels.clear();
        ri.slaves.clear();
        ri.released = true;
        releaseLink(ri);
        if (ri.isSlave() && ri.has(InstanceFlag.PROMOTED) && ri.master != null
            && ri.master.promotedSlave == ri) {
            ri.master.promotedSlave = null;
        }
    }

    private static void releaseLink(final SentinelInstance ri) {
        final InstanceLink link = ri.link;
        link.refcount--;
        if (link.refcount == 0) {
            link.closeAll();
        }
    }

    public SentinelInstance master(final String name) {
        return masters.get(name);
    }

    public Collection<SentinelInstance> masters() {
        return Collections.unmodifiableCollection(masters.values());
    }

    /** getSentinelRedisInstanceByAddrAndRunID: match by run id and/or address (either may be null). */
    SentinelInstance findByAddrAndRunId(final Collection<SentinelInstance> instances, final String host,
                                        final int port, final String runid) {
        SentinelAddr wanted = null;
        if (host != null) {
            wanted = tryAddr(host, port, true);
            if (wanted == null) {
                return null;
            }
        }
        for (final SentinelInstance ri : instances) {
            if (runid != null && ri.runid == null) {
                continue;
            }
            if ((runid == null || ri.runid.equals(runid))
                && (wanted == null || ri.addr.sameAddressOrHostname(wanted))) {
                return ri;
            }
        }
        return null;
    }

    /** sentinelRedisInstanceLookupSlave. */
    SentinelInstance lookupSlave(final SentinelInstance master, final String host, final int port) {
        final SentinelAddr a = tryAddr(host, port, false);
        return a == null ? null : master.slaves.get(a.announceWithPort(announceHostnames));
    }

    /** removeMatchingSentinelFromMaster: how many records with {@code runid} were dropped. */
    int removeMatchingSentinel(final SentinelInstance master, final String runid) {
        if (runid == null) {
            return 0;
        }
        int removed = 0;
        final Iterator<SentinelInstance> it = master.sentinels.values().iterator();
        while (it.hasNext()) {
            final SentinelInstance ri = it.next();
            if (ri.runid != null && ri.runid.equals(runid)) {
                it.remove();
                release(ri);
                removed++;
            }
        }
        return removed;
    }

    /** sentinelTryConnectionSharing: use the link of the same sentinel seen under another master. */
    void tryConnectionSharing(final SentinelInstance ri) {
        if (ri.runid == null || ri.link.refcount > 1) {
            return;
        }
        for (final SentinelInstance m : masters.values()) {
            if (m == ri.master) {
                continue;
            }
            final SentinelInstance match = findByAddrAndRunId(m.sentinels.values(), null, 0, ri.runid);
            if (match == null || match == ri) {
                continue;
            }
            releaseLink(ri);
            ri.link = match.link;
            match.link.refcount++;
            return;
        }
    }

    /** sentinelUpdateSentinelAddressInAllMasters: copy the new address to this sentinel's records elsewhere. */
    int updateSentinelAddressInAllMasters(final SentinelInstance ri) {
        int reconfigured = 0;
        for (final SentinelInstance m : masters.values()) {
            final SentinelInstance match = findByAddrAndRunId(m.sentinels.values(), null, 0, ri.runid);
            if (match == null) {
                continue;
            }
            match.link.closeAll();
            if (match == ri) {
                continue;
            }
            match.addr = ri.addr;
            reconfigured++;
        }
        if (reconfigured > 0) {
            instanceEvent(Level.NOTICE, "+sentinel-address-update", ri,
                " " + reconfigured + " additional matching instances");
        }
        return reconfigured;
    }

    /** sentinelDropConnections: close the links to all other sentinels (credentials changed). */
    int dropSentinelConnections() {
        int dropped = 0;
        for (final SentinelInstance m : masters.values()) {
            for (final SentinelInstance si : m.sentinels.values()) {
                if (!si.link.disconnected) {
                    si.link.closeAll();
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** dropInstanceConnections: close the master's and its replicas' links (auth changed). */
    static void dropInstanceConnections(final SentinelInstance master) {
        master.link.closeAll();
        for (final SentinelInstance s : master.slaves.values()) {
            s.link.closeAll();
        }
    }

    /** Flag for {@link #resetMaster}: keep the known sentinels. */
    static final int RESET_NO_SENTINELS = 1;
    /** Flag for {@link #resetMaster}: emit +reset-master. */
    static final int RESET_GENERATE_EVENT = 2;

    /** sentinelResetMaster: forget replicas (and sentinels), flags and failover state; reconnect. */
    void resetMaster(final SentinelInstance ri, final int how, final long nowMs) {
        for (final SentinelInstance s : ri.slaves.values()) {
            release(s);
        }
        ri.slaves.clear();
        if ((how & RESET_NO_SENTINELS) == 0) {
            for (final SentinelInstance s : ri.sentinels.values()) {
                release(s);
            }
            ri.sentinels.clear();
        }
        ri.link.closeAll();
        ri.flags.clear();
        ri.leader = null;
        failover.state(ri, FailoverState.NONE, 0);
        ri.failoverStartTime = 0;
        ri.promotedSlave = null;
        ri.runid = null;
        ri.slaveMasterHost = null;
        // (Cinnabar) what the old master's INFO said of its start fence is not the new one's: a stale
        // fenceBehind would call the new master down at once (FailureDetector) and fail it over again
        ri.fence = null;
        ri.fenceReplOffset = -1;
        ri.fenceBehind = false;
        ri.fenceStartingSeen = false;
        ri.link.actPingTime = nowMs;
        ri.link.lastPingTime = 0;
        ri.link.lastAvailTime = nowMs;
        ri.link.lastPongTime = nowMs;
        ri.roleReportedTime = nowMs;
        ri.roleReported = Kind.MASTER;
        if ((how & RESET_GENERATE_EVENT) != 0) {
            instanceEvent(Level.WARNING, "+reset-master", ri, "");
        }
    }

    /** sentinelResetMastersByPattern (case-sensitive glob); the number reset. */
    int resetMastersByPattern(final String pattern, final int how, final long nowMs) {
        int n = 0;
        for (final SentinelInstance ri : new ArrayList<>(masters.values())) {
            if (Glob.match(pattern, ri.name)) {
                resetMaster(ri, how, nowMs);
                n++;
            }
        }
        return n;
    }

    /**
     * sentinelResetMasterAndChangeAddress: the master now lives at {@code host:port}; the known replicas stay, the
     * one at the new address leaves the list and the old master address joins it. False when the address is invalid.
     */
    boolean resetMasterAndChangeAddress(final SentinelInstance master, final String host, final int port,
                                        final long nowMs) {
        final SentinelAddr newAddr = tryAddr(host, port, false);
        if (newAddr == null) {
            return false;
        }
        final List<SentinelAddr> slaves = new ArrayList<>();
        for (final SentinelInstance s : master.slaves.values()) {
            if (!s.addr.sameAs(newAddr)) {
                slaves.add(s.addr);
            }
        }
        if (!newAddr.sameAs(master.addr)) {
            slaves.add(master.addr);
        }
        resetMaster(master, RESET_NO_SENTINELS, nowMs);
        master.addr = newAddr;
        master.oDownSinceTime = 0;
        master.sDownSinceTime = 0;
        for (final SentinelAddr a : slaves) {
            try {
                final SentinelInstance slave = createInstance(null, Kind.SLAVE, a.hostname(), a.port(),
                    master.quorum, master, nowMs);
                instanceEvent(Level.NOTICE, "+slave", slave, "");
            } catch (CreateException e) {
                log(Level.DEBUG, "replica " + a.hostname() + ":" + a.port() + " not re-added: " + e.error);
            }
        }
        flushConfig();
        return true;
    }

    /** sentinelGetCurrentMasterAddress: the promoted replica's address once the failover reached RECONF_SLAVES. */
    SentinelAddr currentMasterAddress(final SentinelInstance master) {
        if (master.has(InstanceFlag.FAILOVER_IN_PROGRESS) && master.promotedSlave != null
            && master.failoverState.compareTo(FailoverState.RECONF_SLAVES) >= 0) {
            return master.promotedSlave.addr;
        }
        return master.addr;
    }

    /** sentinelPropagateDownAfterPeriod. */
    static void propagateDownAfterPeriod(final SentinelInstance master) {
        for (final SentinelInstance s : master.slaves.values()) {
            s.downAfterPeriod = master.downAfterPeriod;
        }
        for (final SentinelInstance s : master.sentinels.values()) {
            s.downAfterPeriod = master.downAfterPeriod;
        }
    }

    /** Result of SENTINEL CKQUORUM's check: usable sentinels (me included) and what is missing. */
    record QuorumCheck(int usable, boolean noQuorum, boolean noAuthorization) {
        boolean ok() {
            return !noQuorum && !noAuthorization;
        }
    }

    /** sentinelIsQuorumReachable. */
    QuorumCheck quorumReachable(final SentinelInstance master) {
        int usable = 1;
        final int voters = master.sentinels.size() + 1;
        for (final SentinelInstance ri : master.sentinels.values()) {
            if (!ri.isDown()) {
                usable++;
            }
        }
        return new QuorumCheck(usable, usable < master.quorum, usable < voters / 2 + 1);
    }

    // ---------------------------------------------------------------- votes and hello

    /** The vote after a request: the leader (or null) and the epoch of that vote. */
    record VoteReply(String leader, long leaderEpoch) {
    }

    /** sentinelVoteLeader: vote for {@code reqRunid} in {@code reqEpoch} if we did not vote in that epoch yet. */
    VoteReply voteLeader(final SentinelInstance master, final long reqEpoch, final String reqRunid,
                         final long nowMs) {
        final LeaderElection.Vote v = LeaderElection.vote(currentEpoch, master.leader, master.leaderEpoch, reqEpoch,
            reqRunid);
        if (v.epochAdvanced()) {
            currentEpoch = v.currentEpoch();
            flushConfig();
            event(Level.WARNING, "+new-epoch", master, Long.toUnsignedString(currentEpoch));
        }
        if (v.voted()) {
            master.leader = v.leader();
            master.leaderEpoch = v.leaderEpoch();
            flushConfig();
            event(Level.WARNING, "+vote-for-leader", master,
                master.leader + " " + Long.toUnsignedString(master.leaderEpoch));
            // not voting for ourselves: wait a little before starting a failover of our own for this master
            if (!master.leader.equalsIgnoreCase(myid)) {
                master.failoverStartTime = nowMs + env.random().nextInt(MAX_DESYNC);
            }
        }
        return new VoteReply(master.leader, master.leaderEpoch);
    }

    /**
     * sentinelProcessHelloMessage: learn about the sending sentinel and adopt the master configuration it carries if
     * its config epoch is newer than ours.
     */
    void processHello(final String text, final long nowMs) {
        final Hello h = Hello.parse(text);
        if (h == null) {
            return;
        }
        final SentinelInstance master = masters.get(h.masterName());
        if (master == null) {
            return;
        }
        SentinelInstance si = findByAddrAndRunId(master.sentinels.values(), h.ip(), h.port(), h.runid());
        if (si == null) {
            final int removed = removeMatchingSentinel(master, h.runid());
            if (removed > 0) {
                instanceEvent(Level.NOTICE, "+sentinel-address-switch", master,
                    " ip " + h.ip() + " port " + h.port() + " for " + h.runid());
            } else {
                final SentinelInstance other = findByAddrAndRunId(master.sentinels.values(), h.ip(), h.port(), null);
                if (other != null) {
                    instanceEvent(Level.NOTICE, "+sentinel-invalid-addr", other, "");
                    final String obsolete = other.runid;
                    for (final SentinelInstance m : new ArrayList<>(masters.values())) {
                        removeMatchingSentinel(m, obsolete);
                    }
                }
            }
            try {
                si = createInstance(h.runid(), Kind.SENTINEL, h.ip(), h.port(), master.quorum, master, nowMs);
                if (removed == 0) {
                    instanceEvent(Level.NOTICE, "+sentinel", si, "");
                }
                si.runid = h.runid();
                tryConnectionSharing(si);
                if (removed > 0) {
                    updateSentinelAddressInAllMasters(si);
                }
                flushConfig();
            } catch (CreateException e) {
                si = null;
            }
        }
        if (Long.compareUnsigned(h.currentEpoch(), currentEpoch) > 0) {
            currentEpoch = h.currentEpoch();
            flushConfig();
            event(Level.WARNING, "+new-epoch", master, Long.toUnsignedString(currentEpoch));
        }
        if (si != null && Long.compareUnsigned(master.configEpoch, h.masterConfigEpoch()) < 0) {
            master.configEpoch = h.masterConfigEpoch();
            if (h.masterPort() != master.addr.port() || !addrEqualsHostname(master.addr, h.masterIp())) {
                instanceEvent(Level.WARNING, "+config-update-from", si, "");
                event(Level.WARNING, "+switch-master", master, master.name + " "
                    + master.addr.announce(announceHostnames) + " " + master.addr.port() + " " + h.masterIp() + " "
                    + h.masterPort());
                final SentinelAddr old = master.addr;
                if (resetMasterAndChangeAddress(master, h.masterIp(), h.masterPort(), nowMs)) {
                    callClientReconfScript(master, false, "start", old, master.addr);
                }
            }
        }
        if (si != null) {
            si.lastHelloTime = nowMs;
        }
    }

    /** sentinelCallClientReconfScript: master-name role state from-ip from-port to-ip to-port. */
    void callClientReconfScript(final SentinelInstance master, final boolean leader, final String state,
                                final SentinelAddr from, final SentinelAddr to) {
        if (master.clientReconfigScript == null) {
            return;
        }
        scripts.schedule(List.of(master.clientReconfigScript, master.name, leader ? "leader" : "observer", state,
            from.announce(announceHostnames), Integer.toString(from.port()), to.announce(announceHostnames),
            Integer.toString(to.port())));
    }

    /** sentinelForceHelloUpdateForMaster: make the next tick send hello for this master everywhere. */
    void forceHelloUpdate(final SentinelInstance master) {
        final long p = timings.publishPeriod + 1;
        if (master.lastPubTime >= p) {
            master.lastPubTime -= p;
        }
        for (final SentinelInstance ri : master.sentinels.values()) {
            if (ri.lastPubTime >= p) {
                ri.lastPubTime -= p;
            }
        }
        for (final SentinelInstance ri : master.slaves.values()) {
            if (ri.lastPubTime >= p) {
                ri.lastPubTime -= p;
            }
        }
    }

    /** SENTINEL SIMULATE-FAILURE hook. */
    void simFailureCrash() {
        log(Level.WARNING, "Sentinel CRASH because of SENTINEL simulate-failure");
        env.crash().run();
    }

    // ---------------------------------------------------------------- host entry points

    /** This sentinel's id, null before {@link #start()} when the config had none. */
    public String myid() {
        return myid;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public boolean inTilt() {
        return tilt;
    }

    /**
     * PUBLISH as a sentinel serves it (Redis's sentinelPublishCommand): only hello messages are accepted, and they
     * are processed as if received on a master's hello channel. Returns null when accepted (reply :1), else the
     * error text.
     */
    public String publish(final String channel, final String message, final long nowMs) {
        if (!HELLO_CHANNEL.equals(channel)) {
            return "ERR Only HELLO messages are accepted by Sentinel instances.";
        }
        processHello(message, nowMs);
        return null;
    }

    /** INFO's "# Sentinel" section, CRLF line ends included (sentinelInfoCommand). */
    public String infoSection(final long nowMs) {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("# Sentinel\r\n")
            .append("sentinel_masters:").append(masters.size()).append("\r\n")
            .append("sentinel_tilt:").append(tilt ? 1 : 0).append("\r\n")
            .append("sentinel_tilt_since_seconds:").append(tilt ? (nowMs - tiltStartTime) / 1000 : -1).append("\r\n")
            .append("sentinel_running_scripts:").append(scripts.running()).append("\r\n")
            .append("sentinel_scripts_queue_length:").append(scripts.queueLength()).append("\r\n")
            .append("sentinel_simulate_failure_flags:").append(simFailureFlags).append("\r\n");
        int id = 0;
        for (final SentinelInstance ri : masters.values()) {
            final String status = ri.has(InstanceFlag.O_DOWN) ? "odown" : ri.has(InstanceFlag.S_DOWN) ? "sdown" : "ok";
            sb.append("master").append(id++).append(":name=").append(ri.name).append(",status=").append(status)
                .append(",address=").append(ri.addr.announce(announceHostnames)).append(':').append(ri.addr.port())
                .append(",slaves=").append(ri.slaves.size()).append(",sentinels=").append(ri.sentinels.size() + 1)
                .append("\r\n");
        }
        return sb.toString();
    }

    /** The address clients should use for {@code masterName} (SENTINEL GET-MASTER-ADDR-BY-NAME), or null. */
    public SentinelAddr masterAddress(final String masterName) {
        final SentinelInstance m = masters.get(masterName);
        return m == null ? null : currentMasterAddress(m);
    }

    /** Whether {@code master} is flagged SDOWN / ODOWN (tests and host diagnostics). */
    public boolean isSubjectivelyDown(final SentinelInstance ri) {
        return ri.has(InstanceFlag.S_DOWN);
    }

    public boolean isObjectivelyDown(final SentinelInstance ri) {
        return ri.has(InstanceFlag.O_DOWN);
    }
}
