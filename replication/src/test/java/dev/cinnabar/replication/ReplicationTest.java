package dev.cinnabar.replication;

import static dev.cinnabar.replication.replica.FakeMaster.resp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.replication.failover.FailoverState;
import dev.cinnabar.replication.master.RdbStream;
import dev.cinnabar.replication.master.ReplicaChannel;
import dev.cinnabar.replication.master.ReplicaSession;
import dev.cinnabar.replication.master.ReplicaSessionState;
import dev.cinnabar.replication.replica.DisklessLoad;
import dev.cinnabar.replication.replica.FakeMaster;
import dev.cinnabar.replication.replica.MasterConnection;
import dev.cinnabar.replication.replica.MasterStream;
import dev.cinnabar.replication.replica.ReplicaLinkState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication state of one server, master side and replica side, on a fake clock with fake
 * replica sockets and a scripted master: what each replica receives, when, and how ids, offsets
 * and the backlog move.
 */
class ReplicationTest {
    private static final String RDB = "REDIS0010-fake-rdb";
    private static final String MID = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private final ReplicationSettings settings = new ReplicationSettings();
    private final FakeMaster masters = new FakeMaster();
    private final Host host = new Host();
    private long now = 10_000;
    private Replication repl;

    /** A replica socket that records what it receives; reading it ends the loop turn first. */
    private final class Socket implements ReplicaChannel {
        final StringBuilder got = new StringBuilder();
        boolean writable = true;
        boolean closed;
        long pending;

        @Override
        public void write(final ByteBuf data) {
            got.append(data.toString(StandardCharsets.ISO_8859_1));
            data.release();
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public long pendingBytes() {
            return pending;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void closeAfterWrites() {
            closed = true;
        }

        String take() {
            host.runTasks();
            final String s = got.toString();
            got.setLength(0);
            return s;
        }
    }

    /** The server around replication: records loads and applied commands, runs deferred tasks on demand. */
    private class Host implements ReplicationHost {
        boolean replica;
        boolean writesPaused;
        boolean clientWritesPaused;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<String> applied = new ArrayList<>();
        String loaded;
        long keys;
        String loadingState = "none";
        int snapshots;
        int closedSnapshots;

        @Override
        public void masterChanged(final String masterHost, final int masterPort) {
            replica = masterHost != null;
        }

        @Override
        public void failoverPause(final boolean paused) {
            writesPaused = paused;
        }

        @Override
        public boolean clientWritesPaused() {
            return clientWritesPaused;
        }

        @Override
        public String loadRdb(final Path file) {
            try {
                loaded = Files.readString(file, StandardCharsets.ISO_8859_1);
                return null;
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public boolean datasetEmpty() {
            return keys == 0;
        }

        @Override
        public void loading(final boolean on, final boolean async, final long totalBytes) {
            loadingState = on ? (async ? "async" : "loading") : "none";
        }

        @Override
        public Object parseRdb(final InputStream in, final long size) throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void installRdb(final Object parsed) {
            loaded = (String) parsed;
        }

        @Override
        public MasterStream.Applier masterApplier() {
            return (Args a) -> {
                applied.add(a.toString());
                return MasterStream.Applied.DONE;
            };
        }

        @Override
        public void resetMasterClient() {
        }

        @Override
        public void discardMasterTransaction() {
        }

        @Override
        public RdbStream openSnapshot(final String replid, final long offset, final int streamDb) {
            snapshots++;
            return new RdbStream() {
                @Override
                public boolean next(final ByteBuf out, final int maxBytes) {
                    out.writeCharSequence(RDB, StandardCharsets.ISO_8859_1);
                    return false;
                }

                @Override
                public void close() {
                    closedSnapshots++;
                }
            };
        }

        @Override
        public void execute(final Runnable task) {
            tasks.add(task);
        }

        @Override
        public ByteBufAllocator alloc() {
            return UnpooledByteBufAllocator.DEFAULT;
        }

        @Override
        public long nowMs() {
            return now;
        }

        @Override
        public MasterConnection.Connector connector() {
            return masters;
        }

        void runTasks() {
            for (int i = 0; i < 1000 && !tasks.isEmpty(); i++) {
                tasks.poll().run();
            }
        }
    }

    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void setUp() {
        settings.disklessSyncDelaySeconds = 0;
        settings.dir = dir.toString();
        repl = new Replication(settings, log, host, now);
    }

    @AfterEach
    void tearDown() {
        if (repl.isReplica()) {
            repl.promote(now);
        }
    }

    private static byte[][] argv(final String... a) {
        final byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    private ReplicaSession session(final Socket socket, final int port) {
        return new ReplicaSession(port, socket, "127.0.0.1", null, port, true, true, false, false);
    }

    /** Attaches a replica with a full sync and brings it online (streamed RDB, first ACK). */
    private ReplicaSession attach(final Socket socket, final int port) {
        final ReplicaSession s = session(socket, port);
        assertThat(repl.sync(s, "?", -1, now)).isNull();
        host.runTasks();
        repl.ack(s, repl.masterReplOffset(), now);
        socket.take();
        return s;
    }

    @Test
    void shouldFeedNothingWithoutReplicaOrBacklog() {
        repl.propagate(0, argv("SET", "k", "v"));
        assertThat(repl.masterReplOffset()).isZero();
        assertThat(repl.backlog()).isNull();
    }

    @Test
    void shouldStartANewHistoryAndAStreamedFullSyncForTheFirstReplica() {
        final String idBefore = repl.ids().replid();
        final Socket socket = new Socket();
        final ReplicaSession s = session(socket, 6380);
        assertThat(repl.sync(s, "?", -1, now)).isNull();
        assertThat(repl.ids().replid()).isNotEqualTo(idBefore);
        assertThat(repl.backlog().offset()).isEqualTo(1);
        assertThat(repl.stats().syncFull).isEqualTo(1);
        assertThat(repl.stats().syncPartialErr).isZero();
        assertThat(s.state()).isEqualTo(ReplicaSessionState.WAIT_BGSAVE_END);

        repl.propagate(0, argv("SET", "a", "1"));
        host.runTasks();
        final String transfer = socket.take();
        assertThat(transfer).matches("\\+FULLRESYNC " + repl.ids().replid() + " 0\r\n\\$EOF:([0-9a-f]{40})\r\n"
            + RDB + "\\1");
        assertThat(s.state()).isEqualTo(ReplicaSessionState.ONLINE);
        // the write made during the transfer waits for the replica's first ACK
        repl.propagate(0, argv("SET", "b", "2"));
        assertThat(socket.take()).isEmpty();
        repl.ack(s, 0, now);
        assertThat(socket.take()).isEqualTo(resp("SELECT", "0") + resp("SET", "a", "1") + resp("SET", "b", "2"));
        repl.propagate(0, argv("SET", "c", "3"));
        assertThat(socket.take()).isEqualTo(resp("SET", "c", "3"));
        assertThat(repl.masterReplOffset()).isEqualTo(repl.backlog().histlen());
        assertThat(log.lines).contains("Replica 127.0.0.1:6380 asks for synchronization",
            "Full resync requested by replica 127.0.0.1:6380",
            "Starting BGSAVE for SYNC with target: replicas sockets",
            "Synchronization with replica 127.0.0.1:6380 succeeded");
    }

    @Test
    void shouldSelectOnlyWhenTheDatabaseChanges() {
        final Socket socket = new Socket();
        attach(socket, 6380);
        repl.propagate(2, argv("INCR", "x"));
        repl.propagate(2, argv("INCR", "x"));
        repl.propagate(-1, argv("PING"));
        repl.propagate(0, argv("DEL", "y"));
        assertThat(socket.take()).isEqualTo(resp("SELECT", "2") + resp("INCR", "x") + resp("INCR", "x")
            + resp("PING") + resp("SELECT", "0") + resp("DEL", "y"));
    }

    @Test
    void shouldContinueAReconnectingReplicaFromTheBacklog() {
        final Socket first = new Socket();
        final ReplicaSession s = attach(first, 6380);
        repl.propagate(0, argv("SET", "a", "1"));
        final long acked = repl.masterReplOffset();
        repl.detach(s, now);
        repl.propagate(0, argv("SET", "b", "2"));
        final Socket again = new Socket();
        assertThat(repl.sync(session(again, 6380), repl.ids().replid(), acked + 1, now)).isNull();
        assertThat(again.take()).isEqualTo("+CONTINUE " + repl.ids().replid() + "\r\n" + resp("SET", "b", "2"));
        assertThat(repl.stats().syncPartialOk).isEqualTo(1);
        assertThat(repl.stats().syncFull).isEqualTo(1);
        assertThat(log.lines).contains("Partial resynchronization request from 127.0.0.1:6380 accepted. Sending "
            + resp("SET", "b", "2").length() + " bytes of backlog starting from offset " + (acked + 1) + ".");
    }

    @Test
    void shouldRecordItsHistoryInASaveAndLetAReplicaContinueAfterARestartOnIt() {
        assertThat(repl.saveInfo(0)).as("no backlog, nothing to continue").isNull();
        final ReplicaSession s = attach(new Socket(), 6380);
        repl.propagate(3, argv("SET", "a", "1"));
        final Replication.SaveInfo saved = repl.saveInfo(0);
        assertThat(saved).isEqualTo(new Replication.SaveInfo(repl.ids().replid(), repl.masterReplOffset(), 3));
        repl.detach(s, now);

        final Replication restarted = new Replication(settings, log, host, now);
        restarted.restoreFromRdb(saved.replid(), saved.offset(), false);
        assertThat(restarted.ids().replid2()).isEqualTo(saved.replid());
        assertThat(restarted.ids().secondReplOffset()).isEqualTo(saved.offset() + 1);
        final Socket again = new Socket();
        assertThat(restarted.sync(session(again, 6380), saved.replid(), saved.offset() + 1, now)).isNull();
        assertThat(again.take()).isEqualTo("+CONTINUE " + restarted.ids().replid() + "\r\n");
        assertThat(restarted.stats().syncPartialOk).isEqualTo(1);
        restarted.propagate(3, argv("SET", "b", "2"));
        assertThat(again.take()).as("the stream's database is unknown after a restart")
            .isEqualTo(resp("SELECT", "3") + resp("SET", "b", "2"));
    }

    @Test
    void shouldOfferTheSavedHistoryToItsMasterAfterARestartAsReplica() {
        final Replication restarted = new Replication(settings, log, host, now);
        restarted.restoreFromRdb("a".repeat(40), 1234, true);
        assertThat(restarted.cachedReplid()).isEqualTo("a".repeat(40));
        assertThat(restarted.cachedOffset()).isEqualTo(1234);
        restarted.restoreFromRdb("not an id", 10, true);
        assertThat(restarted.cachedOffset()).as("an invalid id is ignored").isEqualTo(1234);
    }

    @Test
    void shouldWaitForTheDisklessDelayBeforeStartingTheSnapshot() {
        settings.disklessSyncDelaySeconds = 5;
        final Socket a = new Socket();
        final Socket b = new Socket();
        repl.sync(session(a, 6380), "?", -1, now);
        now += 2000;
        repl.sync(session(b, 6381), "?", -1, now);
        repl.tick(now);
        assertThat(host.snapshots).isZero();
        assertThat(log.lines).contains("Delay next BGSAVE for diskless SYNC");
        now += 2999;
        repl.tick(now);
        assertThat(host.snapshots).isZero();
        now += 1;
        repl.tick(now);
        assertThat(host.snapshots).as("one snapshot for both").isEqualTo(1);
        assertThat(a.take()).matches("(?s)\n+\\+FULLRESYNC [0-9a-f]{40} 0\r\n\\$EOF:.*");
        assertThat(b.take()).matches("(?s)\n+\\+FULLRESYNC [0-9a-f]{40} 0\r\n\\$EOF:.*");
    }

    @Test
    void shouldWriteTheRdbFileAndSendItAsABulkWithoutDisklessSync() throws IOException {
        settings.disklessSync = false;
        final Socket socket = new Socket();
        final ReplicaSession s = session(socket, 6380);
        repl.sync(s, "?", -1, now);
        repl.propagate(0, argv("SET", "during", "sync"));
        host.runTasks();
        assertThat(socket.take()).isEqualTo("+FULLRESYNC " + repl.ids().replid() + " 0\r\n$" + RDB.length() + "\r\n"
            + RDB + resp("SELECT", "0") + resp("SET", "during", "sync"));
        assertThat(s.state()).isEqualTo(ReplicaSessionState.ONLINE);
        assertThat(Files.readString(dir.resolve("dump.rdb"))).isEqualTo(RDB);
    }

    @Test
    void shouldRefuseReplicasWhenNoSnapshotCanBeMade() {
        final Replication noRdb = new Replication(settings, log, new Host() {
            @Override
            public RdbStream openSnapshot(final String replid, final long offset, final int streamDb) {
                return null;
            }
        }, now);
        final Socket socket = new Socket();
        noRdb.sync(session(socket, 6380), "?", -1, now);
        assertThat(socket.take()).isEqualTo("-ERR BGSAVE failed, replication can't continue\r\n");
        assertThat(socket.closed).isTrue();
        assertThat(noRdb.replicas().count()).isZero();
    }

    @Test
    void shouldPingReplicasEveryPeriodAndDropSilentOnes() {
        settings.pingPeriodSeconds = 10;
        settings.timeoutSeconds = 60;
        final Socket socket = new Socket();
        final ReplicaSession s = attach(socket, 6380);
        now += 9_999;
        repl.tick(now);
        assertThat(socket.take()).isEmpty();
        now += 1;
        repl.tick(now);
        assertThat(socket.take()).isEqualTo(resp("PING"));
        now += 50_001;
        repl.tick(now);
        assertThat(socket.closed).isTrue();
        assertThat(repl.replicas().count()).isZero();
        assertThat(log.lines).contains("Disconnecting timedout replica (streaming sync): 127.0.0.1:6380");
        assertThat(s.state()).isEqualTo(ReplicaSessionState.ONLINE);
    }

    @Test
    void shouldNotPingWhileClientWritesArePaused() {
        settings.pingPeriodSeconds = 10;
        final Socket socket = new Socket();
        attach(socket, 6380);
        final long offset = repl.masterReplOffset();
        host.clientWritesPaused = true; // a sentinel's coordinated failover read our offset under this pause
        now += 30_000;
        repl.tick(now);
        assertThat(socket.take()).isEmpty();
        assertThat(repl.masterReplOffset()).isEqualTo(offset);
        host.clientWritesPaused = false;
        repl.tick(now);
        assertThat(socket.take()).isEqualTo(resp("PING"));
    }

    @Test
    void shouldFreeTheBacklogAfterItsTimeToLive() {
        settings.backlogTtlSeconds = 100;
        final ReplicaSession s = attach(new Socket(), 6380);
        final String id = repl.ids().replid();
        repl.detach(s, now);
        now += 100_000;
        repl.tick(now);
        assertThat(repl.backlog()).isNotNull();
        now += 1;
        repl.tick(now);
        assertThat(repl.backlog()).isNull();
        assertThat(repl.ids().replid()).isNotEqualTo(id);
    }

    @Test
    void shouldCountGoodReplicasAndAcks() {
        settings.minReplicasToWrite = 2;
        settings.minReplicasMaxLagSeconds = 10;
        final ReplicaSession a = attach(new Socket(), 6380);
        assertThat(repl.refusesWrites(now)).isTrue();
        final ReplicaSession b = attach(new Socket(), 6381);
        assertThat(repl.refusesWrites(now)).isFalse();
        repl.propagate(0, argv("SET", "k", "v"));
        assertThat(repl.countAcks(repl.masterReplOffset())).isZero();
        repl.ack(a, repl.masterReplOffset(), now);
        assertThat(repl.countAcks(repl.masterReplOffset())).isEqualTo(1);
        now += 11_000;
        repl.ack(a, repl.masterReplOffset(), now);
        assertThat(repl.refusesWrites(now)).as("b is lagging").isTrue();
        repl.ack(b, repl.masterReplOffset(), now);
        assertThat(repl.refusesWrites(now)).isFalse();
    }

    @Test
    void shouldDisconnectAReplicaOverItsOutputLimit() {
        settings.outputHardLimitBytes = 100;
        final Socket socket = new Socket();
        attach(socket, 6380);
        socket.pending = 150;
        repl.propagate(0, argv("SET", "k", "v"));
        host.runTasks();
        assertThat(socket.closed).isTrue();
        assertThat(repl.replicas().count()).isZero();
    }

    @Test
    void shouldShiftIdsOnPromotionSoOldReplicasCanContinue() {
        final ReplicaSession sub = attach(new Socket(), 6380);
        repl.propagate(0, argv("SET", "a", "1"));
        final String oldId = repl.ids().replid();
        final long offset = repl.masterReplOffset();
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        assertThat(host.replica).isTrue();
        assertThat(repl.hasCachedMaster()).as("a demoted master continues its own history").isTrue();
        assertThat(repl.replicas().count()).as("kept: they may continue with us").isEqualTo(1);
        repl.promote(now);
        assertThat(host.replica).isFalse();
        assertThat(repl.ids().replid2()).isEqualTo(oldId);
        assertThat(repl.ids().secondReplOffset()).isEqualTo(offset + 1);
        assertThat(repl.replicas().count()).isZero();
        assertThat(sub.channel()).isInstanceOf(Socket.class);
        final Socket again = new Socket();
        repl.sync(session(again, 6380), oldId, offset + 1, now);
        assertThat(again.take()).isEqualTo("+CONTINUE " + repl.ids().replid() + "\r\n");
    }

    @Test
    void shouldChooseDisklessLoadAsConfigured() {
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        assertThat(repl.disklessLoad()).as("disabled").isFalse();
        settings.disklessLoad = "on-empty-db";
        host.keys = 3;
        assertThat(repl.disklessLoad()).as("on-empty-db with keys: to disk").isFalse();
        host.keys = 0;
        assertThat(repl.disklessLoad()).isTrue();
        settings.disklessLoad = "swapdb";
        host.keys = 3;
        assertThat(repl.disklessLoad()).isTrue();
    }

    @Test
    void shouldKeepTheOldDatasetAndHistoryWhenASwapdbLoadFails() throws IOException {
        final ReplicaSession sub = attach(new Socket(), 6380);
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        settings.disklessLoad = "swapdb";
        final String ownId = repl.ids().replid();
        final DisklessLoad.Parser parser = repl.beginDisklessLoad(MID, 3);
        assertThat(host.loadingState).as("another history: -LOADING").isEqualTo("loading");
        assertThat(repl.hasCachedMaster()).as("kept until the load succeeded").isTrue();
        assertThat(repl.replicas().count()).isEqualTo(1);
        assertThat(parser.parse(new ByteArrayInputStream("RDB".getBytes(StandardCharsets.US_ASCII)), 3)).isEqualTo("RDB");
        assertThat(repl.endDisklessLoad(null, "Short read", MID, 500)).isFalse();
        assertThat(host.loadingState).isEqualTo("none");
        assertThat(host.loaded).as("nothing installed").isNull();
        assertThat(repl.ids().replid()).isEqualTo(ownId);
        assertThat(repl.hasCachedMaster()).isTrue();
        assertThat(log.lines).containsSubsequence("MASTER <-> REPLICA sync: Loading DB in memory", "Short read",
            "Failed trying to load the MASTER synchronization DB from socket, check server logs.",
            "MASTER <-> REPLICA sync: Discarding temporary DB in background");
        assertThat(log.lines).doesNotContain("MASTER <-> REPLICA sync: Flushing old data");
        assertThat(sub.channel()).isInstanceOf(Socket.class);
        assertThat(((Socket) sub.channel()).closed).isFalse();
    }

    @Test
    void shouldSwapInALoadedDatasetAndAdoptTheMastersHistory() {
        final ReplicaSession sub = attach(new Socket(), 6380);
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        settings.disklessLoad = "swapdb";
        // a full sync within our own history: the old data keeps serving (async loading)
        repl.beginDisklessLoad(repl.ids().replid(), -1);
        assertThat(host.loadingState).isEqualTo("async");
        assertThat(repl.endDisklessLoad("DATA", null, MID, 500)).isTrue();
        assertThat(host.loaded).isEqualTo("DATA");
        assertThat(host.loadingState).isEqualTo("none");
        assertThat(repl.ids().replid()).isEqualTo(MID);
        assertThat(repl.masterReplOffset()).isEqualTo(500);
        assertThat(repl.backlog().offset()).isEqualTo(501);
        assertThat(repl.hasCachedMaster()).isFalse();
        assertThat(((Socket) sub.channel()).closed).as("sub-replicas resync with the new history").isTrue();
        assertThat(log.lines).containsSubsequence("MASTER <-> REPLICA sync: Loading DB in memory",
            "Discarding previously cached master state.", "MASTER <-> REPLICA sync: Swapping active DB with loaded DB",
            "MASTER <-> REPLICA sync: Discarding old DB in background");
    }

    @Test
    void shouldAttachAtOnceWhenLoadingOnAnEmptyDataset() {
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        settings.disklessLoad = "on-empty-db";
        repl.beginDisklessLoad(MID, 10);
        assertThat(host.loadingState).isEqualTo("loading");
        assertThat(repl.hasCachedMaster()).as("discarded before the load, as with a file").isFalse();
        assertThat(log.lines).containsSubsequence("Discarding previously cached master state.",
            "MASTER <-> REPLICA sync: Flushing old data", "MASTER <-> REPLICA sync: Loading DB in memory");
        assertThat(repl.endDisklessLoad(null, null, MID, 500)).isFalse();
        assertThat(log.lines).doesNotContain("MASTER <-> REPLICA sync: Discarding temporary DB in background");
        assertThat(host.loaded).isNull();
    }

    @Test
    void shouldForwardTheMastersStreamToSubReplicasByteForByte() {
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        final Socket early = new Socket();
        assertThat(repl.sync(session(early, 7000), "?", -1, now))
            .isEqualTo("NOMASTERLINK Can't SYNC while not connected with my master");
        final FakeMaster.Conn m = masters.last();
        m.events.onConnected();
        m.send("+PONG\r\n+OK\r\n+OK\r\n");
        m.send("+FULLRESYNC " + MID + " 500\r\n$3\r\nRDB");
        assertThat(repl.link().state()).isEqualTo(ReplicaLinkState.CONNECTED);
        assertThat(host.loaded).isEqualTo("RDB");
        assertThat(repl.ids().replid()).isEqualTo(MID);
        assertThat(repl.masterReplOffset()).isEqualTo(500);
        assertThat(repl.backlog().offset()).isEqualTo(501);

        final Socket sub = new Socket();
        final ReplicaSession s = session(sub, 7000);
        repl.sync(s, "?", -1, now);
        host.runTasks();
        repl.ack(s, 500, now);
        assertThat(sub.take()).startsWith("+FULLRESYNC " + MID + " 500\r\n$EOF:");
        // the master's bytes, SELECT and all, exactly as sent
        final String stream = resp("SELECT", "9") + resp("SET", "k", "v");
        m.send(stream);
        assertThat(sub.take()).isEqualTo(stream);
        assertThat(host.applied).containsExactly("[SELECT, 9]", "[SET, k, v]");
        assertThat(repl.masterReplOffset()).isEqualTo(500 + stream.length());
        // a replica never adds its own writes to the stream
        repl.propagate(0, argv("SET", "local", "x"));
        assertThat(sub.take()).isEmpty();

        // a new id from the master (it was promoted): our replicas must learn it
        m.events.onClosed("reset");
        final FakeMaster.Conn m2 = masters.last();
        m2.events.onConnected();
        m2.send("+PONG\r\n+OK\r\n+OK\r\n");
        final String newId = "f".repeat(40);
        m2.send("+CONTINUE " + newId + "\r\n");
        assertThat(repl.ids().replid()).isEqualTo(newId);
        assertThat(repl.ids().replid2()).isEqualTo(MID);
        assertThat(repl.ids().secondReplOffset()).isEqualTo(500 + stream.length() + 1);
        assertThat(sub.closed).isTrue();
    }

    @Test
    void shouldRestartTheBacklogAfterAFullSyncFromANewMaster() {
        final Socket socket = new Socket();
        attach(socket, 6380);
        repl.propagate(0, argv("SET", "a", "1"));
        repl.replicaOf("127.0.0.1", 6379, dir, now);
        final FakeMaster.Conn m = masters.last();
        m.events.onConnected();
        m.send("+PONG\r\n+OK\r\n+OK\r\n");
        m.send("+FULLRESYNC " + MID + " 7\r\n$0\r\n");
        assertThat(socket.closed).as("our replicas resync with the new history").isTrue();
        assertThat(repl.backlog().offset()).isEqualTo(8);
        assertThat(repl.backlog().histlen()).isZero();
        assertThat(repl.ids().replid2()).isEqualTo(ReplicationIds.NONE);
        assertThat(log.lines).contains("Discarding previously cached master state.");
    }

    /** FAILOVER on the master that hands over, and PSYNC ... FAILOVER on the replica that takes over. */
    @Nested
    class Failover {
        private ReplicaSession a;
        private ReplicaSession b;
        private final Socket socketA = new Socket();
        private final Socket socketB = new Socket();

        @BeforeEach
        void twoReplicas() {
            a = attach(socketA, 6380);
            b = attach(socketB, 6381);
            repl.propagate(0, argv("SET", "k", "v"));
            socketA.take();
            socketB.take();
        }

        private String start(final String host, final long port, final long timeoutMs, final boolean force) {
            return repl.failover().start(host, port, timeoutMs, force, repl.isReplica(), now);
        }

        /** The demoted master's link to the target, played up to its PSYNC. */
        private FakeMaster.Conn handshake() {
            final FakeMaster.Conn m = masters.last();
            m.events.onConnected();
            m.send("+PONG\r\n+OK\r\n+OK\r\n");
            return m;
        }

        @Test
        void shouldRefuseWhatRedisRefusesInItsOrder() {
            assertThat(start(null, 0, 0, true))
                .isEqualTo("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
            assertThat(start("127.0.0.1", 6381, 0, true))
                .isEqualTo("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
            assertThat(start("127.0.0.1", 9999, 0, false)).isEqualTo("ERR FAILOVER target HOST and PORT is not a replica.");
            final ReplicaSession syncing = session(new Socket(), 6390);
            repl.sync(syncing, "?", -1, now);
            assertThat(start("127.0.0.1", 6390, 0, false)).isEqualTo("ERR FAILOVER target replica is not online.");
            assertThat(repl.failover().abortByUser()).isEqualTo("ERR No failover in progress.");
            assertThat(start("127.0.0.1", 6381, 0, false)).isNull();
            assertThat(start("127.0.0.1", 6381, 0, false)).isEqualTo("ERR FAILOVER already in progress.");
            assertThat(repl.failover().abortByUser()).isNull();
            assertThat(host.writesPaused).isFalse();
            assertThat(repl.failover().start(null, 0, 0, false, true, now))
                .isEqualTo("ERR FAILOVER is not valid when server is a replica.");
            final Replication alone = new Replication(settings, log, host, now);
            assertThat(alone.failover().start(null, 0, 0, false, false, now))
                .isEqualTo("ERR FAILOVER requires connected replicas.");
        }

        @Test
        void shouldPauseWritesThenHandOverOnceTheTargetAcknowledgedEverything() {
            settings.pingPeriodSeconds = 1;
            final String oldId = repl.ids().replid();
            final long offset = repl.masterReplOffset();
            assertThat(start("127.0.0.1", 6381, 0, false)).isNull();
            assertThat(repl.failover().state()).isEqualTo(FailoverState.WAIT_FOR_SYNC);
            assertThat(host.writesPaused).isTrue();
            assertThat(log.lines).contains("FAILOVER requested to 127.0.0.1:6381.");
            repl.ack(a, offset, now);
            host.runTasks();
            now += 5_000;
            repl.tick(now);
            assertThat(socketB.take()).as("no PING moves the offset while waiting").isEmpty();
            assertThat(repl.failover().state()).as("a is caught up but b is the target")
                .isEqualTo(FailoverState.WAIT_FOR_SYNC);
            repl.ack(b, offset, now);
            host.runTasks();
            assertThat(repl.failover().state()).isEqualTo(FailoverState.FAILOVER_IN_PROGRESS);
            assertThat(repl.isReplica()).isTrue();
            assertThat(host.replica).isTrue();
            assertThat(host.writesPaused).as("until the target answers").isTrue();
            assertThat(repl.replicas().count()).as("kept: they follow us as sub-replicas").isEqualTo(2);
            assertThat(log.lines).contains("Failover target 127.0.0.1:6381 is synced, failing over.");

            final FakeMaster.Conn m = handshake();
            assertThat(m.port).isEqualTo(6381);
            assertThat(m.take()).endsWith(resp("PSYNC", oldId, Long.toString(offset + 1), "FAILOVER"));
            final String newId = "e".repeat(40);
            m.send("+CONTINUE " + newId + "\r\n");
            assertThat(repl.failover().state()).isEqualTo(FailoverState.NO_FAILOVER);
            assertThat(host.writesPaused).isFalse();
            assertThat(repl.linkUp()).isTrue();
            assertThat(repl.ids().replid()).isEqualTo(newId);
            assertThat(repl.ids().replid2()).isEqualTo(oldId);
            assertThat(socketA.closed).as("a learns the new id by reconnecting").isTrue();
        }

        @Test
        void shouldHandOverToTheFirstReplicaThatCaughtUpWhenNoTargetIsNamed() {
            assertThat(start(null, 0, 0, false)).isNull();
            assertThat(log.lines).contains("FAILOVER requested to any replica.");
            repl.tick(now);
            assertThat(repl.failover().state()).isEqualTo(FailoverState.WAIT_FOR_SYNC);
            repl.ack(a, repl.masterReplOffset(), now);
            host.runTasks();
            assertThat(repl.failover().state()).isEqualTo(FailoverState.FAILOVER_IN_PROGRESS);
            assertThat(masters.last().port).isEqualTo(6380);
        }

        @Test
        void shouldGiveUpAtTheTimeoutUnlessForced() {
            assertThat(start("127.0.0.1", 6381, 1000, false)).isNull();
            now += 999;
            repl.tick(now);
            assertThat(repl.failover().state()).isEqualTo(FailoverState.WAIT_FOR_SYNC);
            now += 1;
            repl.tick(now);
            assertThat(repl.failover().state()).isEqualTo(FailoverState.NO_FAILOVER);
            assertThat(repl.isReplica()).isFalse();
            assertThat(host.writesPaused).isFalse();
            assertThat(log.lines).contains("FAILOVER to 127.0.0.1:6381 aborted: Replica never caught up before timeout");

            assertThat(start("127.0.0.1", 6381, 1000, true)).isNull();
            now += 1000;
            repl.tick(now);
            assertThat(repl.failover().state()).isEqualTo(FailoverState.FAILOVER_IN_PROGRESS);
            assertThat(repl.isReplica()).isTrue();
            assertThat(log.lines).contains("FAILOVER to 127.0.0.1:6381 time out exceeded, failing over.");
            handshake().send("+FULLRESYNC " + MID + " 0\r\n");
            assertThat(repl.failover().state()).as("a full resync is an accepted hand-off too")
                .isEqualTo(FailoverState.NO_FAILOVER);
        }

        @Test
        void shouldBeAMasterAgainWhenTheTargetRefuses() {
            final String oldId = repl.ids().replid();
            start("127.0.0.1", 6381, 0, false);
            repl.ack(b, repl.masterReplOffset(), now);
            host.runTasks();
            final FakeMaster.Conn m = handshake();
            m.send("-ERR PSYNC FAILOVER replid must match my replid.\r\n");
            assertThat(repl.failover().state()).isEqualTo(FailoverState.NO_FAILOVER);
            assertThat(repl.isReplica()).isFalse();
            assertThat(host.replica).isFalse();
            assertThat(host.writesPaused).isFalse();
            assertThat(m.closed).isTrue();
            assertThat(masters.conns).as("no retry, no SYNC").hasSize(1);
            assertThat(repl.ids().replid2()).as("our replicas continue with the new id").isEqualTo(oldId);
            assertThat(log.lines).contains("FAILOVER to 127.0.0.1:6381 aborted: Failover target rejected psync request");
        }

        @Test
        void shouldBeAMasterAgainOnAbortWhileTheHandOverIsInProgress() {
            start("127.0.0.1", 6381, 0, false);
            repl.ack(b, repl.masterReplOffset(), now);
            host.runTasks();
            assertThat(repl.failover().state()).isEqualTo(FailoverState.FAILOVER_IN_PROGRESS);
            assertThat(repl.failover().abortByUser()).isNull();
            assertThat(repl.isReplica()).isFalse();
            assertThat(host.writesPaused).isFalse();
            assertThat(log.lines).contains("FAILOVER to 127.0.0.1:6381 aborted: Failover manually aborted");
        }

        @Test
        void shouldRefuseSyncAndAckRequestsWhileFailingOver() {
            start(null, 0, 0, false);
            final long offset = repl.masterReplOffset();
            repl.requestAcks();
            assertThat(repl.masterReplOffset()).as("no GETACK into the stream").isEqualTo(offset);
            assertThat(repl.sync(session(new Socket(), 6390), "?", -1, now))
                .isEqualTo("NOMASTERLINK Can't SYNC while failing over");
        }

        @Test
        void shouldTakeOverWhenOurMasterHandsOverWithOurOwnId() {
            final Replication target = new Replication(settings, log, host, now);
            assertThat(target.failoverRequest(MID, now)).isEqualTo("ERR PSYNC FAILOVER can't be sent to a master.");
            target.replicaOf("127.0.0.1", 6379, dir, now);
            final FakeMaster.Conn m = masters.last();
            m.events.onConnected();
            m.send("+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + MID + " 100\r\n$0\r\n");
            assertThat(target.linkUp()).isTrue();
            assertThat(target.failoverRequest("f".repeat(40), now))
                .isEqualTo("ERR PSYNC FAILOVER replid must match my replid.");
            assertThat(target.isReplica()).isTrue();
            assertThat(target.failoverRequest(MID, now)).isNull();
            assertThat(target.isReplica()).isFalse();
            assertThat(target.ids().replid2()).isEqualTo(MID);
            assertThat(log.lines).contains("Failover request received for replid " + MID + ".");
            final Socket oldMaster = new Socket();
            assertThat(target.sync(session(oldMaster, 6379), MID, 101, now)).isNull();
            assertThat(oldMaster.take()).isEqualTo("+CONTINUE " + target.ids().replid() + "\r\n");
        }
    }
}
