package dev.cinnabar.sentinel;

import static dev.cinnabar.protocol.command.CommandFlag.ADMIN;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.ONLY_SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandHandler;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Glob;
import dev.cinnabar.sentinel.SentinelEventSink.Level;
import dev.cinnabar.sentinel.SentinelInstance.Kind;

/**
 * The SENTINEL command and its subcommands, with Redis 7.0's arities, flags, replies and error texts. Redis:
 * sentinel.c sentinelCommand(), sentinelSetCommand(), sentinelConfigGetCommand()/SetCommand(),
 * addReplySentinelRedisInstance(). Also the sentinel's forms of PUBLISH and ROLE, for the host to route to.
 */
public final class SentinelCommands implements CommandFamily {
    static final String NO_SUCH_MASTER = "ERR No such master with that name";
    static final String SAVE_FAILED = "ERR Failed to save config file. Check server logs.";
    static final String SCRIPTS_DENIED = "ERR Reconfiguration of scripts path is denied for security reasons. Check "
        + "the deny-scripts-reconfig configuration directive in your Sentinel configuration";

    private static final String[] HELP = {
        "SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CKQUORUM <master-name>",
        "    Check if the current Sentinel configuration is able to reach the quorum",
        "    needed to failover a master and the majority needed to authorize the",
        "    failover.",
        "CONFIG SET <param> <value>",
        "    Set a global Sentinel configuration parameter.",
        "CONFIG GET <param>",
        "    Get global Sentinel configuration parameter.",
        "DEBUG [<param> <value> ...]",
        "    Show a list of configurable time parameters and their values (milliseconds).",
        "    Or update current configurable parameters values (one or more).",
        "GET-MASTER-ADDR-BY-NAME <master-name>",
        "    Return the ip and port number of the master with that name.",
        "FAILOVER <master-name>",
        "    Manually failover a master node without asking for agreement from other",
        "    Sentinels",
        "FLUSHCONFIG",
        "    Force Sentinel to rewrite its configuration on disk, including the current",
        "    Sentinel state.",
        "INFO-CACHE <master-name>",
        "    Return last cached INFO output from masters and all its replicas.",
        "IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
        "    Check if the master specified by ip:port is down from current Sentinel's",
        "    point of view.",
        "MASTER <master-name>",
        "    Show the state and info of the specified master.",
        "MASTERS",
        "    Show a list of monitored masters and their state.",
        "MONITOR <name> <ip> <port> <quorum>",
        "    Start monitoring a new master with the specified name, ip, port and quorum.",
        "MYID",
        "    Return the ID of the Sentinel instance.",
        "PENDING-SCRIPTS",
        "    Get pending scripts information.",
        "REMOVE <master-name>",
        "    Remove master from Sentinel's monitor list.",
        "REPLICAS <master-name>",
        "    Show a list of replicas for this master and their state.",
        "RESET <pattern>",
        "    Reset masters for specific master name matching this pattern.",
        "SENTINELS <master-name>",
        "    Show a list of Sentinel instances for this master and their state.",
        "SET <master-name> <option> <value> [<option> <value> ...]",
        "    Set configuration parameters for certain masters.",
        "SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]",
        "    Simulate a Sentinel crash.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder c = t.command("SENTINEL").arity(-2).flags(ADMIN, SENTINEL, ONLY_SENTINEL)
            .group("sentinel").since("2.8.4").summary("A container for Sentinel commands")
            .complexity("Depends on subcommand.");
        sub(c, "CKQUORUM", 3, "2.8.4", "Check for a Sentinel quorum", "", this::ckquorum);
        sub(c, "CONFIG", -3, "6.2.0", "Configure Sentinel", "O(1)", this::config);
        sub(c, "DEBUG", -2, "7.0.0", "List or update the current configurable parameters",
            "O(N) where N is the number of configurable parameters", this::debug);
        sub(c, "FAILOVER", 3, "2.8.4", "Force a failover", "", this::failover);
        sub(c, "FLUSHCONFIG", 2, "2.8.4", "Rewrite configuration file", "O(1)", this::flushconfig);
        sub(c, "GET-MASTER-ADDR-BY-NAME", 3, "2.8.4", "Get port and address of a master", "O(1)",
            this::getMasterAddrByName);
        sub(c, "INFO-CACHE", -3, "3.2.0", "Get cached INFO from the instances in the deployment",
            "O(N) where N is the number of instances", this::infoCache);
        sub(c, "IS-MASTER-DOWN-BY-ADDR", 6, "2.8.4", "Check if a master is down", "O(1)", this::isMasterDownByAddr);
        sub(c, "MASTER", 3, "2.8.4", "Shows the state of a master", "O(1)", this::master);
        sub(c, "MASTERS", 2, "2.8.4", "List the monitored masters", "O(N) where N is the number of masters",
            this::masters);
        sub(c, "MONITOR", 6, "2.8.4", "Start monitoring", "O(1)", this::monitor);
        sub(c, "MYID", 2, "6.2.0", "Get the Sentinel instance ID", "O(1)", this::myid);
        sub(c, "PENDING-SCRIPTS", 2, "2.8.4", "Get information about pending scripts", "", this::pendingScripts);
        sub(c, "REMOVE", 3, "2.8.4", "Stop monitoring", "O(1)", this::remove);
        sub(c, "REPLICAS", 3, "5.0.0", "List the monitored replicas", "O(N) where N is the number of replicas",
            this::replicas);
        sub(c, "RESET", 3, "2.8.4", "Reset masters by name pattern",
            "O(N) where N is the number of monitored masters", this::reset);
        sub(c, "SENTINELS", 3, "2.8.4", "List the Sentinel instances", "O(N) where N is the number of Sentinels",
            this::sentinels);
        sub(c, "SET", -5, "2.8.4", "Change the configuration of a monitored master", "O(1)", this::set);
        sub(c, "SIMULATE-FAILURE", -3, "3.2.0", "Simulate failover scenarios", "", this::simulateFailure);
        sub(c, "SLAVES", 3, "2.8.0", "List the monitored slaves", "O(N) where N is the number of slaves",
            this::replicas);
        c.subcommand("HELP").arity(2).flags(LOADING, STALE, SENTINEL, ONLY_SENTINEL).since("6.2.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler((SentinelCall call, Args a) -> help(call.reply(), HELP));
    }

    private static void sub(final CommandTable.CommandBuilder parent, final String name, final int arity,
                            final String since, final String summary, final String complexity,
                            final CommandHandler<SentinelCall> handler) {
        parent.subcommand(name).arity(arity).flags(ADMIN, SENTINEL, ONLY_SENTINEL).since(since).summary(summary)
            .complexity(complexity).handler(handler);
    }

    static void help(final RespWriter w, final String[] lines) {
        w.array(lines.length);
        for (final String l : lines) {
            w.simple(l);
        }
    }

    // ---------------------------------------------------------------- host-routed commands

    /** ROLE on a sentinel: "sentinel" and the names of the monitored masters. */
    public static void role(final RespWriter w, final Sentinel s) {
        w.array(2);
        w.bulk("sentinel");
        w.array(s.masters.size());
        for (final SentinelInstance m : s.masters.values()) {
            w.bulk(m.name);
        }
    }

    /** PUBLISH on a sentinel: only hello messages, processed at once (reply :1). */
    public static void publish(final SentinelCall c, final Args a) {
        final String err = c.sentinel().publish(a.string(1), a.string(2), c.nowMs());
        if (err != null) {
            c.reply().error(err);
        } else {
            c.reply().integer(1);
        }
    }

    // ---------------------------------------------------------------- listing

    private void masters(final SentinelCall c, final Args a) {
        writeInstances(c.reply(), c.sentinel(), c.sentinel().masters.values(), c.nowMs());
    }

    private void master(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri != null) {
            writeInstance(c.reply(), c.sentinel(), ri, c.nowMs());
        }
    }

    private void replicas(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri != null) {
            writeInstances(c.reply(), c.sentinel(), ri.slaves.values(), c.nowMs());
        }
    }

    private void sentinels(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri != null) {
            writeInstances(c.reply(), c.sentinel(), ri.sentinels.values(), c.nowMs());
        }
    }

    private static SentinelInstance masterOrError(final SentinelCall c, final String name) {
        final SentinelInstance ri = c.sentinel().masters.get(name);
        if (ri == null) {
            c.reply().error(NO_SUCH_MASTER);
        }
        return ri;
    }

    /** addReplyDictOfRedisInstances: replicas with replica-announced no are left out. */
    static void writeInstances(final RespWriter w, final Sentinel s, final Collection<SentinelInstance> list,
                               final long nowMs) {
        final int mark = w.beginDeferred();
        int n = 0;
        for (final SentinelInstance ri : list) {
            if (ri.isSlave() && ri.replicaAnnounced == 0) {
                continue;
            }
            writeInstance(w, s, ri, nowMs);
            n++;
        }
        w.endArray(mark, n);
    }

    /** addReplySentinelRedisInstance: the fields and their order as Redis 7.0 sends them. */
    static void writeInstance(final RespWriter w, final Sentinel s, final SentinelInstance ri, final long now) {
        final InstanceLink link = ri.link;
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", ri.name);
        f.put("ip", ri.addr.announce(s.announceHostnames));
        f.put("port", (long) ri.addr.port());
        f.put("runid", ri.runid == null ? "" : ri.runid);
        f.put("flags", flags(ri));
        f.put("link-pending-commands", (long) link.pendingCommands);
        f.put("link-refcount", (long) link.refcount);
        if (ri.has(InstanceFlag.FAILOVER_IN_PROGRESS)) {
            f.put("failover-state", ri.failoverState.text());
        }
        f.put("last-ping-sent", link.actPingTime != 0 ? now - link.actPingTime : 0L);
        f.put("last-ok-ping-reply", now - link.lastAvailTime);
        f.put("last-ping-reply", now - link.lastPongTime);
        if (ri.has(InstanceFlag.S_DOWN)) {
            f.put("s-down-time", now - ri.sDownSinceTime);
        }
        if (ri.has(InstanceFlag.O_DOWN)) {
            f.put("o-down-time", now - ri.oDownSinceTime);
        }
        f.put("down-after-milliseconds", ri.downAfterPeriod);
        if (!ri.isSentinel()) {
            f.put("info-refresh", ri.infoRefresh != 0 ? now - ri.infoRefresh : 0L);
            f.put("role-reported", ri.roleReported == Kind.MASTER ? "master" : "slave");
            f.put("role-reported-time", now - ri.roleReportedTime);
        }
        if (ri.isMaster()) {
            f.put("config-epoch", ri.configEpoch);
            f.put("num-slaves", (long) ri.slaves.size());
            f.put("num-other-sentinels", (long) ri.sentinels.size());
            f.put("quorum", (long) ri.quorum);
            f.put("failover-timeout", ri.failoverTimeout);
            f.put("parallel-syncs", (long) ri.parallelSyncs);
            if (ri.notificationScript != null) {
                f.put("notification-script", ri.notificationScript);
            }
            if (ri.clientReconfigScript != null) {
                f.put("client-reconfig-script", ri.clientReconfigScript);
            }
        }
        if (ri.isSlave()) {
            f.put("master-link-down-time", ri.masterLinkDownTime);
            f.put("master-link-status", ri.slaveMasterLinkUp ? "ok" : "err");
            f.put("master-host", ri.slaveMasterHost != null ? ri.slaveMasterHost : "?");
            f.put("master-port", (long) ri.slaveMasterPort);
            f.put("slave-priority", (long) ri.slavePriority);
            f.put("slave-repl-offset", ri.slaveReplOffset);
            f.put("replica-announced", (long) ri.replicaAnnounced);
        }
        if (ri.isSentinel()) {
            f.put("last-hello-message", now - ri.lastHelloTime);
            f.put("voted-leader", ri.leader != null ? ri.leader : "?");
            f.put("voted-leader-epoch", ri.leaderEpoch);
        }
        w.map(f.size());
        for (final Map.Entry<String, Object> e : f.entrySet()) {
            w.bulk(e.getKey());
            if (e.getValue() instanceof Long l) {
                w.bulkLong(l);
            } else {
                w.bulk((String) e.getValue());
            }
        }
    }

    /** The flags field: s_down,o_down,master,slave,sentinel,disconnected,master_down,... in Redis's order. */
    static String flags(final SentinelInstance ri) {
        final List<String> out = new ArrayList<>();
        if (ri.has(InstanceFlag.S_DOWN)) {
            out.add("s_down");
        }
        if (ri.has(InstanceFlag.O_DOWN)) {
            out.add("o_down");
        }
        out.add(ri.kind.text());
        if (ri.link.disconnected) {
            out.add("disconnected");
        }
        final InstanceFlag[] rest = {InstanceFlag.MASTER_DOWN, InstanceFlag.FAILOVER_IN_PROGRESS,
            InstanceFlag.PROMOTED, InstanceFlag.RECONF_SENT, InstanceFlag.RECONF_INPROG, InstanceFlag.RECONF_DONE,
            InstanceFlag.FORCE_FAILOVER, InstanceFlag.SCRIPT_KILL_SENT};
        for (final InstanceFlag fl : rest) {
            if (ri.has(fl)) {
                out.add(fl.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return String.join(",", out);
    }

    // ---------------------------------------------------------------- queries

    private void myid(final SentinelCall c, final Args a) {
        final String id = c.sentinel().myid;
        c.reply().bulk(id != null ? id : "\0".repeat(Sentinel.RUN_ID_SIZE));
    }

    private void getMasterAddrByName(final SentinelCall c, final Args a) {
        final SentinelAddr addr = c.sentinel().masterAddress(a.string(2));
        if (addr == null) {
            c.reply().nullArray();
            return;
        }
        c.reply().array(2).bulk(addr.announce(c.sentinel().announceHostnames)).bulkLong(addr.port());
    }

    /**
     * SENTINEL IS-MASTER-DOWN-BY-ADDR ip port current-epoch runid: our SDOWN opinion (0 in TILT), and with a run id
     * other than "*", our vote for that epoch.
     */
    private void isMasterDownByAddr(final SentinelCall c, final Args a) {
        if (!a.isLong(3) || !a.isLong(4)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final Sentinel s = c.sentinel();
        final long port = a.longValue(3);
        final long reqEpoch = a.longValue(4);
        final SentinelInstance ri = port < Integer.MIN_VALUE || port > Integer.MAX_VALUE ? null
            : s.findByAddrAndRunId(s.masters.values(), a.string(2), (int) port, null);
        final boolean isDown = !s.tilt && ri != null && ri.has(InstanceFlag.S_DOWN) && ri.isMaster();
        String leader = null;
        long leaderEpoch = 0;
        final String runid = a.string(5);
        if (ri != null && ri.isMaster() && !runid.equalsIgnoreCase("*")) {
            final Sentinel.VoteReply v = s.voteLeader(ri, reqEpoch, runid, c.nowMs());
            leader = v.leader();
            leaderEpoch = v.leaderEpoch();
        }
        c.reply().array(3).integer(isDown ? 1 : 0).bulk(leader != null ? leader : "*").integer(leaderEpoch);
    }

    private void ckquorum(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri == null) {
            return;
        }
        final Sentinel.QuorumCheck q = c.sentinel().quorumReachable(ri);
        if (q.ok()) {
            c.reply().simple("OK " + q.usable() + " usable Sentinels. Quorum and failover authorization can be "
                + "reached");
            return;
        }
        final StringBuilder e = new StringBuilder("NOQUORUM ").append(q.usable()).append(" usable Sentinels. ");
        if (q.noQuorum()) {
            e.append("Not enough available Sentinels to reach the specified quorum for this master");
        }
        if (q.noAuthorization()) {
            if (q.noQuorum()) {
                e.append(". ");
            }
            e.append("Not enough available Sentinels to reach the majority and authorize a failover");
        }
        c.reply().error(e.toString());
    }

    private void infoCache(final SentinelCall c, final Args a) {
        final Sentinel s = c.sentinel();
        final Map<String, SentinelInstance> wanted = new LinkedHashMap<>();
        for (int i = 2; i < a.count(); i++) {
            final SentinelInstance ri = s.masters.get(a.string(i));
            if (ri != null) {
                wanted.put(ri.name, ri);
            }
        }
        final RespWriter w = c.reply();
        final long now = c.nowMs();
        w.array(wanted.size() * 2L);
        for (final SentinelInstance ri : wanted.values()) {
            w.bulk(ri.name);
            w.array(ri.slaves.size() + 1L);
            writeCachedInfo(w, ri.infoRefresh != 0 ? now - ri.infoRefresh : 0, ri.info);
            for (final SentinelInstance sri : ri.slaves.values()) {
                // Redis tests the master's refresh time here, not the replica's; kept for identical output
                writeCachedInfo(w, ri.infoRefresh != 0 ? now - sri.infoRefresh : 0, sri.info);
            }
        }
    }

    private static void writeCachedInfo(final RespWriter w, final long age, final String info) {
        w.array(2).integer(age);
        if (info != null) {
            w.bulk(info);
        } else {
            w.nullBulk();
        }
    }

    private void pendingScripts(final SentinelCall c, final Args a) {
        final RespWriter w = c.reply();
        final long now = c.nowMs();
        final List<ScriptRunner.Job> jobs = c.sentinel().scripts.jobs();
        w.array(jobs.size());
        for (final ScriptRunner.Job j : jobs) {
            w.map(5);
            w.bulk("argv").array(j.argv.size());
            for (final String arg : j.argv) {
                w.bulk(arg);
            }
            w.bulk("flags").bulk(j.running ? "running" : "scheduled");
            w.bulk("pid").bulkLong(j.pid());
            if (j.running) {
                w.bulk("run-time").bulkLong(now - j.startTime);
            } else {
                w.bulk("run-delay").bulkLong(j.startTime != 0 ? Math.max(0, j.startTime - now) : 0);
            }
            w.bulk("retry-num").bulkLong(j.retryNum);
        }
    }

    // ---------------------------------------------------------------- changes

    private static void flushAndReply(final SentinelCall c) {
        if (c.sentinel().flushConfig()) {
            c.reply().ok();
        } else {
            c.reply().error(SAVE_FAILED);
        }
    }

    private void flushconfig(final SentinelCall c, final Args a) {
        flushAndReply(c);
    }

    private void reset(final SentinelCall c, final Args a) {
        c.reply().integer(c.sentinel().resetMastersByPattern(a.string(2), Sentinel.RESET_GENERATE_EVENT, c.nowMs()));
    }

    private void failover(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri == null) {
            return;
        }
        final Sentinel s = c.sentinel();
        if (ri.has(InstanceFlag.FAILOVER_IN_PROGRESS)) {
            c.reply().error("INPROG Failover already in progress");
            return;
        }
        if (ReplicaSelector.select(ri, c.nowMs(), s.timings) == null) {
            c.reply().error("NOGOODSLAVE No suitable replica to promote");
            return;
        }
        s.log(Level.WARNING, "Executing user requested FAILOVER of '" + ri.name + "'");
        s.failover.start(ri, c.nowMs());
        ri.flags.add(InstanceFlag.FORCE_FAILOVER);
        c.reply().ok();
    }

    private void monitor(final SentinelCall c, final Args a) {
        final Sentinel s = c.sentinel();
        if (!a.isLong(5)) {
            c.reply().error("ERR Invalid quorum");
            return;
        }
        if (!a.isLong(4)) {
            c.reply().error("ERR Invalid port");
            return;
        }
        final long quorum = a.longValue(5);
        final long port = a.longValue(4);
        if (quorum <= 0) {
            c.reply().error("ERR Quorum must be 1 or greater.");
            return;
        }
        if (s.env.resolver().resolve(a.string(3), s.resolveHostnames) == null) {
            c.reply().error("ERR Invalid IP address or hostname specified");
            return;
        }
        final SentinelInstance ri;
        try {
            ri = s.createInstance(a.string(2), Kind.MASTER, a.string(3),
                port < 0 || port > 65535 ? -1 : (int) port, (int) Math.min(quorum, Integer.MAX_VALUE), null,
                c.nowMs());
        } catch (Sentinel.CreateException e) {
            c.reply().error("ERR " + e.reason(Kind.MASTER));
            return;
        }
        flushAndReply(c);
        s.instanceEvent(Level.WARNING, "+monitor", ri, " quorum " + ri.quorum);
    }

    private void remove(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri == null) {
            return;
        }
        final Sentinel s = c.sentinel();
        s.instanceEvent(Level.WARNING, "-monitor", ri, "");
        s.masters.remove(ri.name);
        s.release(ri);
        flushAndReply(c);
    }

    /** SENTINEL SET master option value [option value ...]: applied in order until the first bad one. */
    private void set(final SentinelCall c, final Args a) {
        final SentinelInstance ri = masterOrError(c, a.string(2));
        if (ri == null) {
            return;
        }
        final Sentinel s = c.sentinel();
        int changes = 0;
        for (int j = 3; j < a.count(); j++) {
            final int more = a.count() - 1 - j;
            final String option = a.string(j);
            final int first = j;
            boolean redacted = false;
            final String o = option.toLowerCase(java.util.Locale.ROOT);
            if (more > 0 && (o.equals("down-after-milliseconds") || o.equals("failover-timeout")
                || o.equals("parallel-syncs") || o.equals("quorum") || o.equals("master-reboot-down-after-period"))) {
                j++;
                final boolean zeroOk = o.equals("master-reboot-down-after-period");
                if (!a.isLong(j) || a.longValue(j) < (zeroOk ? 0 : 1)) {
                    c.reply().error("ERR Invalid argument '" + a.string(j) + "' for SENTINEL SET '" + option + "'");
                    flushIfChanged(s, changes);
                    return;
                }
                setNumeric(ri, o, a.longValue(j));
            } else if (more > 0 && (o.equals("notification-script") || o.equals("client-reconfig-script"))) {
                final String value = a.string(++j);
                final String err = checkScript(s, o, value);
                if (err != null) {
                    c.reply().error(err);
                    flushIfChanged(s, changes);
                    return;
                }
                if (o.equals("notification-script")) {
                    ri.notificationScript = value.isEmpty() ? null : value;
                } else {
                    ri.clientReconfigScript = value.isEmpty() ? null : value;
                }
            } else if (more > 0 && (o.equals("auth-pass") || o.equals("auth-user"))) {
                final String value = a.string(++j);
                if (o.equals("auth-pass")) {
                    ri.authPass = value.isEmpty() ? null : value;
                    redacted = true;
                } else {
                    ri.authUser = value.isEmpty() ? null : value;
                }
                Sentinel.dropInstanceConnections(ri);
            } else if (more > 1 && o.equals("rename-command")) {
                final String oldName = a.string(++j);
                final String newName = a.string(++j);
                if (oldName.isEmpty() || newName.isEmpty()) {
                    final String bad = newName.isEmpty() ? newName : oldName;
                    c.reply().error("ERR Invalid argument '" + bad + "' for SENTINEL SET '" + option + "'");
                    flushIfChanged(s, changes);
                    return;
                }
                ri.renamedCommands.remove(oldName);
                if (!oldName.equalsIgnoreCase(newName)) {
                    ri.renamedCommands.put(oldName, newName);
                }
            } else {
                c.reply().error("ERR Unknown option or number of arguments for SENTINEL SET '" + option + "'");
                flushIfChanged(s, changes);
                return;
            }
            changes++;
            final int numargs = j - first + 1;
            final String msg;
            if (numargs == 2) {
                msg = " " + option + " " + (redacted ? "******" : a.string(first + 1));
            } else if (numargs == 3) {
                msg = " " + option + " " + a.string(first + 1) + " " + a.string(first + 2);
            } else {
                msg = " " + option;
            }
            s.instanceEvent(Level.WARNING, "+set", ri, msg);
        }
        if (changes > 0) {
            flushAndReply(c);
        }
    }

    private static void setNumeric(final SentinelInstance ri, final String option, final long v) {
        switch (option) {
            case "down-after-milliseconds" -> {
                ri.downAfterPeriod = v;
                Sentinel.propagateDownAfterPeriod(ri);
            }
            case "failover-timeout" -> ri.failoverTimeout = v;
            case "parallel-syncs" -> ri.parallelSyncs = (int) Math.min(v, Integer.MAX_VALUE);
            case "quorum" -> ri.quorum = (int) Math.min(v, Integer.MAX_VALUE);
            default -> ri.masterRebootDownAfterPeriod = v;
        }
    }

    private static String checkScript(final Sentinel s, final String option, final String value) {
        if (s.denyScriptsReconfig) {
            return SCRIPTS_DENIED;
        }
        if (!value.isEmpty() && !Files.isExecutable(Path.of(value))) {
            return option.equals("notification-script")
                ? "ERR Notification script seems non existing or non executable"
                : "ERR Client reconfiguration script seems non existing or non executable";
        }
        return null;
    }

    private static void flushIfChanged(final Sentinel s, final int changes) {
        if (changes > 0) {
            s.flushConfig();
        }
    }

    private void config(final SentinelCall c, final Args a) {
        if (a.is(2, "SET") && a.count() == 5) {
            configSet(c, a);
        } else if (a.is(2, "GET") && a.count() == 4) {
            configGet(c, a);
        } else {
            c.reply().error("ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.");
        }
    }

    private static void configSet(final SentinelCall c, final Args a) {
        final Sentinel s = c.sentinel();
        final String option = a.string(3);
        final String value = a.string(4);
        boolean dropConnections = false;
        switch (option.toLowerCase(java.util.Locale.ROOT)) {
            case "resolve-hostnames", "announce-hostnames" -> {
                final int v = SentinelConfigLoader.yesNo(value);
                if (v < 0) {
                    c.reply().error(badConfigValue(value, option));
                    return;
                }
                if (option.equalsIgnoreCase("resolve-hostnames")) {
                    s.resolveHostnames = v == 1;
                } else {
                    s.announceHostnames = v == 1;
                }
            }
            case "announce-ip" -> s.announceIp = value;
            case "announce-port" -> {
                if (!a.isLong(4) || a.longValue(4) < 0 || a.longValue(4) > 65535) {
                    c.reply().error(badConfigValue(value, option));
                    return;
                }
                s.announcePort = (int) a.longValue(4);
            }
            case "sentinel-user" -> {
                s.sentinelAuthUser = value.isEmpty() ? null : value;
                dropConnections = true;
            }
            case "sentinel-pass" -> {
                s.sentinelAuthPass = value.isEmpty() ? null : value;
                dropConnections = true;
            }
            default -> {
                c.reply().error("ERR Invalid argument '" + option + "' to SENTINEL CONFIG SET");
                return;
            }
        }
        flushAndReply(c);
        if (dropConnections) {
            s.dropSentinelConnections();
        }
    }

    private static String badConfigValue(final String value, final String option) {
        return "ERR Invalid value '" + value + "' to SENTINEL CONFIG SET '" + option + "'";
    }

    private static void configGet(final SentinelCall c, final Args a) {
        final Sentinel s = c.sentinel();
        final byte[] pattern = a.copy(3);
        final Map<String, String> out = new LinkedHashMap<>();
        out.put("resolve-hostnames", s.resolveHostnames ? "yes" : "no");
        out.put("announce-hostnames", s.announceHostnames ? "yes" : "no");
        out.put("announce-ip", s.announceIp != null ? s.announceIp : "");
        out.put("announce-port", Integer.toString(s.announcePort));
        out.put("sentinel-user", s.sentinelAuthUser != null ? s.sentinelAuthUser : "");
        out.put("sentinel-pass", s.sentinelAuthPass != null ? s.sentinelAuthPass : "");
        out.keySet().removeIf(k -> !Glob.match(pattern, k.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            true));
        c.reply().map(out.size());
        out.forEach((k, v) -> c.reply().bulk(k).bulk(v));
    }

    private void debug(final SentinelCall c, final Args a) {
        final SentinelTimings t = c.sentinel().timings;
        if (a.count() == 2) {
            c.reply().map(SentinelTimings.NAMES.length);
            for (int i = 0; i < SentinelTimings.NAMES.length; i++) {
                c.reply().bulk(SentinelTimings.NAMES[i]).bulkLong(t.get(i));
            }
            return;
        }
        for (int j = 2; j < a.count(); j++) {
            final String option = a.string(j);
            if (a.count() - 1 - j <= 0 || !SentinelTimings.known(option)) {
                c.reply().error("ERR Unknown option or number of arguments for SENTINEL DEBUG '" + option + "'");
                return;
            }
            j++;
            if (!a.isLong(j) || a.longValue(j) <= 0) {
                c.reply().error("ERR Invalid argument '" + a.string(j) + "' for SENTINEL DEBUG '" + option + "'");
                return;
            }
            t.set(option, a.longValue(j));
        }
        c.reply().ok();
    }

    private void simulateFailure(final SentinelCall c, final Args a) {
        final Sentinel s = c.sentinel();
        s.simFailureFlags = 0;
        for (int j = 2; j < a.count(); j++) {
            if (a.is(j, "CRASH-AFTER-ELECTION")) {
                s.simFailureFlags |= Sentinel.SIMFAILURE_CRASH_AFTER_ELECTION;
                s.log(Level.WARNING, "Failure simulation: this Sentinel will crash after being successfully "
                    + "elected as failover leader");
            } else if (a.is(j, "CRASH-AFTER-PROMOTION")) {
                s.simFailureFlags |= Sentinel.SIMFAILURE_CRASH_AFTER_PROMOTION;
                s.log(Level.WARNING, "Failure simulation: this Sentinel will crash after promoting the selected "
                    + "replica to master");
            } else if (a.is(j, "HELP")) {
                c.reply().array(2).bulk("crash-after-election").bulk("crash-after-promotion");
                return;
            } else {
                c.reply().error("ERR Unknown failure simulation specified");
                return;
            }
        }
        c.reply().ok();
    }
}
