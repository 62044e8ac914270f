package dev.cinnabar.sentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields Sentinel reads from an instance's INFO reply. Redis: sentinel.c sentinelRefreshInstanceInfo(), the
 * parsing half. Lines are matched by prefix exactly as Redis matches them, so a field appearing before "role:slave"
 * is ignored as it is there (INFO always prints role first).
 *
 * @param runId        "run_id:" (40 characters), or null
 * @param slaves       the "slaveN:ip=...,port=..." entries of a master (old "slaveN:ip,port,state" form too)
 * @param masterLinkDownMs "master_link_down_since_seconds" in ms, 0 when absent
 * @param role         MASTER, SLAVE, or null when no role line
 * @param masterHost   "master_host:", or null
 * @param masterPort   "master_port:", or null
 * @param linkUp       "master_link_status:" is "up", or null when absent
 * @param slavePriority "slave_priority:", or null
 * @param replOffset   "slave_repl_offset:", or null
 * @param replicaAnnounced "replica_announced:", or null
 * @param fence        "cinnabar_fence:" of a Cinnabar master (starting, diverged, held...), or null
 * @param masterReplOffset "master_repl_offset:", or -1
 * @param startFencedMs "cinnabar_start_fenced_ms:" of a Cinnabar data node (master or replica), or -1
 */
record InfoReply(String runId, List<HostPort> slaves, long masterLinkDownMs, SentinelInstance.Kind role,
                 String masterHost, Integer masterPort, Boolean linkUp, Integer slavePriority, Long replOffset,
                 Integer replicaAnnounced, String fence, long masterReplOffset, long startFencedMs) {

    /** One replica listed by a master. */
    record HostPort(String host, int port) {
    }

    static InfoReply parse(final String info) {
        String runId = null;
        final List<HostPort> slaves = new ArrayList<>();
        long linkDown = 0;
        SentinelInstance.Kind role = null;
        String masterHost = null;
        Integer masterPort = null;
        Boolean linkUp = null;
        Integer priority = null;
        Long offset = null;
        Integer announced = null;
        String fence = null;
        long masterOffset = -1;
        long startFenced = -1;
        for (final String l : info.split("\r\n", -1)) {
            if (l.length() >= 47 && l.startsWith("run_id:")) {
                runId = l.substring(7, 47);
            }
            if (l.length() >= 7 && l.startsWith("slave") && Character.isDigit(l.charAt(5))) {
                final HostPort hp = slaveEntry(l);
                if (hp != null) {
                    slaves.add(hp);
                }
            }
            if (l.length() >= 32 && l.startsWith("master_link_down_since_seconds")) {
                linkDown = Numbers.atol(l.substring(31)) * 1000;
            }
            if (l.startsWith("cinnabar_fence:")) {
                fence = l.substring(15);
            }
            if (l.startsWith("cinnabar_start_fenced_ms:")) {
                startFenced = Numbers.atol(l.substring(25));
            }
            if (l.startsWith("master_repl_offset:")) {
                masterOffset = Numbers.atol(l.substring(19));
            }
            if (l.startsWith("role:master")) {
                role = SentinelInstance.Kind.MASTER;
            } else if (l.startsWith("role:slave")) {
                role = SentinelInstance.Kind.SLAVE;
            }
            if (role == SentinelInstance.Kind.SLAVE) {
                if (l.startsWith("master_host:")) {
                    masterHost = l.substring(12);
                }
                if (l.startsWith("master_port:")) {
                    masterPort = (int) Numbers.atol(l.substring(12));
                }
                if (l.startsWith("master_link_status:")) {
                    linkUp = l.substring(19).equalsIgnoreCase("up");
                }
                if (l.startsWith("slave_priority:")) {
                    priority = (int) Numbers.atol(l.substring(15));
                }
                if (l.startsWith("slave_repl_offset:")) {
                    offset = Numbers.strtoull(l.substring(18));
                }
                if (l.startsWith("replica_announced:")) {
                    announced = (int) Numbers.atol(l.substring(18));
                }
            }
        }
        return new InfoReply(runId, slaves, linkDown, role, masterHost, masterPort, linkUp, priority, offset,
            announced, fence, masterOffset, startFenced);
    }

    private static HostPort slaveEntry(final String l) {
        final int ipAt = l.indexOf("ip=");
        if (ipAt < 0) {
            final int colon = l.indexOf(':');
            if (colon < 0) {
                return null;
            }
            final int c1 = l.indexOf(',', colon + 1);
            if (c1 < 0) {
                return null;
            }
            final int c2 = l.indexOf(',', c1 + 1);
            if (c2 < 0) {
                return null;
            }
            return new HostPort(l.substring(colon + 1, c1), (int) Numbers.atol(l.substring(c1 + 1, c2)));
        }
        final int portAt = l.indexOf("port=");
        if (portAt < 0) {
            return null;
        }
        return new HostPort(field(l, ipAt + 3), (int) Numbers.atol(field(l, portAt + 5)));
    }

    private static String field(final String l, final int from) {
        final int end = l.indexOf(',', from);
        return end < 0 ? l.substring(from) : l.substring(from, end);
    }
}
