package dev.cinnabar.server.replication;

import java.util.Locale;

import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.replication.Replication;
import dev.cinnabar.replication.ReplicationSettings;
import dev.cinnabar.replication.fence.MasterFence;
import dev.cinnabar.replication.backlog.ReplicationBacklog;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.replication.master.ReplicaSessionState;
import dev.cinnabar.replication.replica.MasterStream;
import dev.cinnabar.replication.replica.RdbReceiver;
import dev.cinnabar.replication.replica.ReplicaLink;
import dev.cinnabar.replication.replica.ReplicaLinkState;
import dev.cinnabar.server.info.InfoWriter;

/**
 * INFO replication and ROLE, field for field as Redis 7.0.15 writes them: sentinels, clients and
 * operators' scripts parse these names, orders and formats.
 *
 * <p>Redis: server.c genRedisInfoString() "replication" section, replication.c roleCommand().
 */
final class ReplicationInfo {
    private ReplicationInfo() {
    }

    static void info(final ServerReplication sr, final InfoWriter w, final long nowMs) {
        final Replication r = sr.state();
        final ReplicationSettings settings = sr.settings();
        final ReplicaLink link = r.link();
        w.field("role", link == null ? "master" : "slave");
        if (link != null) {
            replicaFields(r, link, settings, w, nowMs);
        }
        w.field("connected_slaves", r.replicas().count());
        if (settings.minReplicasToWrite > 0 && settings.minReplicasMaxLagSeconds > 0) {
            w.field("min_slaves_good_slaves", r.replicas().goodReplicas(nowMs));
        }
        int i = 0;
        for (final ReplicaSession s : r.replicas().all()) {
            w.line("slave" + i++ + ":ip=" + s.ip() + ",port=" + s.listeningPort() + ",state=" + s.state().infoName()
                + ",offset=" + s.ackOffset() + ",lag=" + s.lagSeconds(nowMs));
        }
        final ReplicationBacklog b = r.backlog();
        w.field("master_failover_state", r.failover().state().infoName())
            .field("master_replid", r.ids().replid())
            .field("master_replid2", r.ids().replid2())
            .field("master_repl_offset", r.masterReplOffset())
            .field("second_repl_offset", r.ids().secondReplOffset())
            .field("repl_backlog_active", b != null ? 1 : 0)
            .field("repl_backlog_size", settings.backlogSizeBytes)
            .field("repl_backlog_first_byte_offset", b != null ? b.offset() : 0)
            .field("repl_backlog_histlen", b != null ? b.histlen() : 0);
        if (link == null) {
            final MasterFence fence = sr.fence();
            w.field("cinnabar_fence", fence.state().infoName())
                .field("cinnabar_fence_sentinels", fence.confirmedSentinels() + "/" + fence.knownSentinels())
                .field("cinnabar_fence_lapses", fence.lapses());
        }
        // on replicas too: Cinnabar sentinels read it to set the start fence on every node they manage
        // (a replica may be promoted and restart as a master later)
        w.field("cinnabar_start_fenced_ms", settings.startFencedMs);
    }

    private static void replicaFields(final Replication r, final ReplicaLink link, final ReplicationSettings settings,
                                      final InfoWriter w, final long nowMs) {
        final MasterStream stream = link.stream();
        // with no live master: the cached master's offset, else 1, as Redis shows
        final long applied = stream != null ? stream.appliedOffset() : r.hasCachedMaster() ? r.masterReplOffset() : 1;
        final long read = stream != null ? stream.readOffset() : applied;
        final boolean up = link.state() == ReplicaLinkState.CONNECTED;
        w.field("master_host", link.host())
            .field("master_port", link.port())
            .field("master_link_status", up ? "up" : "down")
            .field("master_last_io_seconds_ago", stream != null ? (nowMs - link.lastIoMs()) / 1000 : -1)
            .field("master_sync_in_progress", link.state() == ReplicaLinkState.TRANSFER ? 1 : 0)
            .field("slave_read_repl_offset", read)
            .field("slave_repl_offset", applied);
        final RdbReceiver rx = link.receiver();
        if (link.state() == ReplicaLinkState.TRANSFER) {
            // Redis's repl_transfer_size: -1 before the bulk header, 0 for a mark-framed (EOF) payload
            final long total = rx == null ? -1 : rx.size() < 0 ? 0 : rx.size();
            final long got = rx == null ? 0 : rx.read();
            final double perc = total == 0 ? 0.0 : total < 0 ? -0.0 : got * 100.0 / total;
            w.field("master_sync_total_bytes", total)
                .field("master_sync_read_bytes", got)
                .field("master_sync_left_bytes", total - got)
                .field("master_sync_perc", String.format(Locale.ROOT, "%.2f", perc))
                .field("master_sync_last_io_seconds_ago", (nowMs - link.lastIoMs()) / 1000);
        }
        if (!up) {
            w.field("master_link_down_since_seconds", link.downSinceMs() == 0 ? -1 : (nowMs - link.downSinceMs()) / 1000);
        }
        w.field("slave_priority", settings.replicaPriority)
            .field("slave_read_only", settings.replicaReadOnly ? 1 : 0)
            .field("replica_announced", settings.replicaAnnounced ? 1 : 0);
    }

    /** ROLE: master, offset, online replicas; or slave, host, port, link state, applied offset. */
    static void role(final ServerReplication sr, final RespWriter out) {
        final Replication r = sr.state();
        final ReplicaLink link = r.link();
        if (link == null) {
            int online = 0;
            for (final ReplicaSession s : r.replicas().all()) {
                if (s.state() == ReplicaSessionState.ONLINE) {
                    online++;
                }
            }
            out.array(3).bulk("master").integer(r.masterReplOffset()).array(online);
            for (final ReplicaSession s : r.replicas().all()) {
                if (s.state() == ReplicaSessionState.ONLINE) {
                    out.array(3).bulk(s.ip()).bulk(Integer.toString(s.listeningPort()))
                        .bulk(Long.toString(s.ackOffset()));
                }
            }
            return;
        }
        final MasterStream stream = link.stream();
        out.array(5).bulk("slave").bulk(link.host()).integer(link.port()).bulk(link.state().roleName())
            .integer(stream != null ? stream.appliedOffset() : -1);
    }
}
