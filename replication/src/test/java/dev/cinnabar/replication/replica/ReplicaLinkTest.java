package dev.cinnabar.replication.replica;

import static dev.cinnabar.replication.replica.FakeMaster.resp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.replication.RecordingLog;
import dev.cinnabar.replication.ReplicationSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica link driven through every state with a fake clock and a scripted master: no socket,
 * no sleep. Each test plays the master's bytes and checks what the replica sends and which state
 * it reaches.
 */
class ReplicaLinkTest {
    private static final String ID = "0123456789abcdef0123456789abcdef01234567";
    private static final String ID2 = "fedcba9876543210fedcba9876543210fedcba98";
    private static final String MARK = "m".repeat(40);

    @TempDir
    Path dir;

    private final ReplicationSettings settings = new ReplicationSettings();
    private final FakeMaster master = new FakeMaster();
    private final Owner owner = new Owner();
    private long now = 1_000_000;
    private ReplicaLink link;

    /** The replication state around the link, recording what the link asks of it. */
    private final class Owner implements ReplicaLink.Listener {
        String cachedReplid;
        long cachedOffset;
        String loadedContent;
        String loadedReplid;
        long loadedOffset = -1;
        String loadError;
        String continuedWith = "none";
        int linkLost;
        boolean psyncFailover;
        final List<Boolean> psyncReplies = new ArrayList<>();
        final List<String> applied = new ArrayList<>();
        final StringBuilder forwarded = new StringBuilder();
        MasterStream stream;
        boolean diskless;
        int loadsBegun;
        CountDownLatchGate parserGate;
        final List<String> loadsEnded = new ArrayList<>();
        final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

        @Override
        public String cachedReplid() {
            return cachedReplid;
        }

        @Override
        public long cachedOffset() {
            return cachedOffset;
        }

        @Override
        public boolean psyncFailover() {
            return psyncFailover;
        }

        @Override
        public boolean onPsyncReply(final boolean accepted) {
            psyncReplies.add(accepted);
            if (psyncFailover && !accepted) {
                // as Replication does: a refused hand-off makes us a master again, this link is done
                link.stop();
                return false;
            }
            return true;
        }

        @Override
        public String loadRdb(final Path file, final String replid, final long offset) {
            try {
                loadedContent = Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return e.toString();
            }
            loadedReplid = replid;
            loadedOffset = offset;
            return loadError;
        }

        @Override
        public boolean disklessLoad() {
            return diskless;
        }

        @Override
        public DisklessLoad.Parser beginDisklessLoad(final String replid, final long size) {
            loadsBegun++;
            return (in, n) -> {
                if (parserGate != null) {
                    parserGate.await(10, TimeUnit.SECONDS);
                }
                // the RDB's own framing: this fake parser stops at the byte '!' as a real one stops at its EOF
                final StringBuilder sb = new StringBuilder();
                for (int b = in.read(); b != '!'; b = in.read()) {
                    if (b < 0) {
                        throw new IOException("Short read or OOM loading DB. Unrecoverable error, aborting now.");
                    }
                    sb.append((char) b);
                }
                if (sb.toString().contains("corrupt")) {
                    throw new IOException("Wrong RDB checksum");
                }
                return sb.toString();
            };
        }

        @Override
        public boolean endDisklessLoad(final Object parsed, final String error, final String replid, final long offset) {
            loadsEnded.add(parsed != null ? "ok:" + parsed : "failed:" + error);
            if (parsed != null) {
                loadedContent = (String) parsed;
                loadedReplid = replid;
                loadedOffset = offset;
            }
            return parsed != null;
        }

        @Override
        public void execute(final Runnable task) {
            tasks.add(task);
        }

        @Override
        public void onContinue(final String newReplid) {
            continuedWith = String.valueOf(newReplid);
        }

        @Override
        public MasterStream openStream(final long offset) {
            stream = new MasterStream(offset, this::apply, b -> forwarded.append(b.toString(StandardCharsets.ISO_8859_1)));
            return stream;
        }

        private MasterStream.Applied apply(final Args a) {
            applied.add(a.toString());
            return MasterStream.Applied.DONE;
        }

        @Override
        public void onLinkLost(final MasterStream s) {
            linkLost++;
            cachedReplid = cachedReplid == null ? loadedReplid : cachedReplid;
            cachedOffset = s.appliedOffset();
        }
    }

    private final RecordingLog log = new RecordingLog();

    /** Holds the fake parser back until opened (a parser slower than the network). */
    private static final class CountDownLatchGate {
        private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);

        void await(final long t, final TimeUnit unit) throws IOException {
            try {
                latch.await(t, unit);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        void open() {
            latch.countDown();
        }
    }

    /** Runs the tasks the loader thread posts to "the loop" until {@code done} holds (at most 10 s). */
    private void runLoopUntil(final java.util.function.BooleanSupplier done) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            final Runnable t = owner.tasks.poll(50, TimeUnit.MILLISECONDS);
            if (t != null) {
                t.run();
            }
        }
        assertThat(done.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    /** Handshake and +FULLRESYNC, up to the bulk header. */
    private FakeMaster.Conn toTransfer() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 100\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.TRANSFER);
        c.take();
        return c;
    }

    @Test
    void shouldParseAStreamedRdbAsItArrivesWithoutATempFile() throws Exception {
        owner.diskless = true;
        final FakeMaster.Conn c = toTransfer();
        c.send("$EOF:" + MARK + "\r\nREDIS0010-pay");
        assertThat(link.disklessLoading()).isTrue();
        c.send("load!" + MARK.substring(0, 10));
        c.send(MARK.substring(10));
        runLoopUntil(() -> link.state() == ReplicaLinkState.CONNECTED);
        assertThat(owner.loadsEnded).containsExactly("ok:REDIS0010-payload");
        assertThat(owner.loadedReplid).isEqualTo(ID);
        assertThat(owner.loadedOffset).isEqualTo(100);
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "ACK", "100"));
        assertThat(log.lines).contains("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser",
            "MASTER <-> REPLICA sync: Finished with success");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temp file with diskless load").isEmpty();
        }
    }

    @Test
    void shouldHoldTheStreamAfterALengthFramedPayloadUntilTheLoadEnds() throws Exception {
        owner.diskless = true;
        final FakeMaster.Conn c = toTransfer();
        c.send("$6\r\nRDBxy!" + resp("SET", "k", "v"));
        assertThat(log.lines).contains("MASTER <-> REPLICA sync: receiving 6 bytes from master to parser");
        runLoopUntil(() -> link.state() == ReplicaLinkState.CONNECTED);
        assertThat(owner.loadsEnded).containsExactly("ok:RDBxy");
        assertThat(owner.applied).containsExactly("[SET, k, v]");
        assertThat(c.readPaused).isFalse();
        // a $len transfer is not acknowledged at once: the master streams without waiting for it
        assertThat(c.take()).isEmpty();
    }

    @Test
    void shouldFailTheLinkWhenTheRdbEndsBeforeItsMark() throws Exception {
        owner.diskless = true;
        final FakeMaster.Conn c = toTransfer();
        c.send("$EOF:" + MARK + "\r\nRDB!junk" + MARK);
        runLoopUntil(() -> link.state() == ReplicaLinkState.CONNECT);
        assertThat(owner.loadsEnded).containsExactly("failed:Replication stream EOF marker is broken");
        assertThat(c.closed).isTrue();
    }

    @Test
    void shouldReportAParserErrorAndRetry() throws Exception {
        owner.diskless = true;
        final FakeMaster.Conn c = toTransfer();
        c.send("$9\r\ncorrupt!!");
        runLoopUntil(() -> link.state() == ReplicaLinkState.CONNECT);
        assertThat(owner.loadsEnded).containsExactly("failed:Wrong RDB checksum");
        assertThat(c.closed).isTrue();
        tick(ReplicaLink.RETRY_MS);
        assertThat(master.conns).hasSize(2);
    }

    @Test
    void shouldEndTheLoadWithoutDataWhenTheLinkIsCutMidTransfer() throws Exception {
        owner.diskless = true;
        final FakeMaster.Conn c = toTransfer();
        c.send("$EOF:" + MARK + "\r\nREDIS0010-partial");
        c.events.onClosed("connection lost");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(owner.loadsEnded).containsExactly("failed:null");
        assertThat(link.disklessLoading()).isFalse();
        // the parser's pending read fails; its outcome is dropped, never a second end
        Thread.sleep(100);
        Runnable t;
        while ((t = owner.tasks.poll()) != null) {
            t.run();
        }
        assertThat(owner.loadsEnded).hasSize(1);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
    }

    @Test
    void shouldPauseReadingWhileTheParserIsBehind() throws Exception {
        owner.diskless = true;
        owner.parserGate = new CountDownLatchGate();
        final FakeMaster.Conn c = toTransfer();
        final long size = DisklessLoad.HIGH_MARK + 1024 + 1;
        c.send("$" + size + "\r\n");
        final byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        long sent = 0;
        while (!c.readPaused && sent < size - 1) {
            final int n = (int) Math.min(chunk.length, size - 1 - sent);
            c.send(java.util.Arrays.copyOf(chunk, n));
            sent += n;
        }
        assertThat(c.readPaused).as("reading paused above the pipe's high mark").isTrue();
        assertThat(sent).isGreaterThanOrEqualTo(DisklessLoad.HIGH_MARK).isLessThan(size - 1);
        tick(settings.timeoutSeconds * 1000 + 1);
        assertThat(link.state()).as("no timeout while the parser is behind").isEqualTo(ReplicaLinkState.TRANSFER);
        owner.parserGate.open();
        runLoopUntil(() -> !c.readPaused);
        while (sent < size - 1) {
            final int n = (int) Math.min(chunk.length, size - 1 - sent);
            c.send(java.util.Arrays.copyOf(chunk, n));
            sent += n;
        }
        c.send("!");
        runLoopUntil(() -> link.state() == ReplicaLinkState.CONNECTED);
        assertThat(owner.loadedContent).hasSize((int) size - 1);
    }

    @BeforeEach
    void setUp() {
        settings.listeningPort = 6380;
        settings.timeoutSeconds = 60;
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.stop();
        }
    }

    private ReplicaLink start() {
        link = new ReplicaLink(settings, log, master, owner, "127.0.0.1", 6379, dir, () -> now);
        link.start(now);
        return link;
    }

    private void tick(final long advanceMs) {
        now += advanceMs;
        link.tick(now);
    }

    /** Connects and plays the handshake up to the PSYNC the replica sends. */
    private FakeMaster.Conn handshake() {
        final FakeMaster.Conn c = master.last();
        c.events.onConnected();
        assertThat(c.take()).isEqualTo(resp("PING"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PING_REPLY);
        c.send("+PONG\r\n");
        c.send("+OK\r\n");
        c.send("+OK\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PSYNC_REPLY);
        return c;
    }

    @Test
    void shouldWalkTheHandshakeAndAFullSyncWithAStreamedRdb() {
        start();
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
        final FakeMaster.Conn c = master.last();
        assertThat(c.host).isEqualTo("127.0.0.1");
        assertThat(c.port).isEqualTo(6379);
        c.events.onConnected();
        assertThat(c.take()).isEqualTo(resp("PING"));
        c.send("+PONG\r\n");
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "listening-port", "6380")
            + resp("REPLCONF", "capa", "eof", "capa", "psync2"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PORT_REPLY);
        c.send("+OK\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_CAPA_REPLY);
        c.send("+OK\r\n");
        assertThat(c.take()).isEqualTo(resp("PSYNC", "?", "-1"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PSYNC_REPLY);
        c.send("+FULLRESYNC " + ID + " 100\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.TRANSFER);
        c.send("\n");
        c.send("$EOF:" + MARK + "\r\nREDIS0010-pay");
        assertThat(link.receiver().read()).isEqualTo(13);
        c.send("load" + MARK.substring(0, 10));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.TRANSFER);
        c.send(MARK.substring(10));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTED);
        assertThat(owner.loadedContent).isEqualTo("REDIS0010-payload");
        assertThat(owner.loadedReplid).isEqualTo(ID);
        assertThat(owner.loadedOffset).isEqualTo(100);
        // a streamed RDB is acknowledged at once: the master starts the stream on that ACK
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "ACK", "100"));
        assertThat(log.lines).contains("Full resync from master: " + ID + ":100",
            "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk",
            "MASTER <-> REPLICA sync: Finished with success");
        assertThat(Files.exists(dir.resolve("temp-" + (now / 1000) + "." + ProcessHandle.current().pid() + ".rdb")))
            .isTrue();
    }

    @Test
    void shouldSendAuthAndAnnouncedAddressAndFailOnARefusedAuth() {
        settings.masterauth = "secret";
        settings.masteruser = "repl";
        settings.announceIp = "10.0.0.9";
        settings.announcePort = 7000;
        start();
        final FakeMaster.Conn c = master.last();
        c.events.onConnected();
        c.take();
        c.send("+PONG\r\n");
        assertThat(c.take()).isEqualTo(resp("AUTH", "repl", "secret") + resp("REPLCONF", "listening-port", "7000")
            + resp("REPLCONF", "ip-address", "10.0.0.9") + resp("REPLCONF", "capa", "eof", "capa", "psync2"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_AUTH_REPLY);
        c.send("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(c.closed).isTrue();
        assertThat(log.lines).contains("Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user "
            + "is disabled.");
        tick(ReplicaLink.RETRY_MS - 1);
        assertThat(master.conns).hasSize(1);
        tick(1);
        assertThat(master.conns).hasSize(2);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
    }

    @Test
    void shouldGoOnWhenTheMasterDoesNotUnderstandReplconf() {
        settings.announceIp = "10.0.0.9";
        start();
        final FakeMaster.Conn c = master.last();
        c.events.onConnected();
        c.send("+PONG\r\n");
        c.send("-ERR unknown\r\n-ERR unknown\r\n-ERR unknown\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PSYNC_REPLY);
        assertThat(log.lines).contains("(Non critical) Master does not understand REPLCONF listening-port: -ERR unknown",
            "(Non critical) Master does not understand REPLCONF ip-address: -ERR unknown",
            "(Non critical) Master does not understand REPLCONF capa: -ERR unknown");
    }

    @Test
    void shouldAcceptNoauthToPingButNotOtherErrors() {
        start();
        FakeMaster.Conn c = master.last();
        c.events.onConnected();
        c.send("-NOAUTH Authentication required.\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.RECEIVE_PORT_REPLY);
        link.dropConnected("test");
        tick(ReplicaLink.RETRY_MS);
        c = master.last();
        c.events.onConnected();
        c.send("-ERR something else\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(log.lines).contains("Error reply to PING from master: '-ERR something else'");
    }

    @Test
    void shouldAskForTheHandOverWithPsyncFailoverAndReportTheAnswer() {
        owner.cachedReplid = ID;
        owner.cachedOffset = 500;
        owner.psyncFailover = true;
        start();
        final FakeMaster.Conn c = handshake();
        assertThat(c.take()).endsWith(resp("PSYNC", ID, "501", "FAILOVER"));
        c.send("\n");
        assertThat(owner.psyncReplies).as("a keepalive is no answer").isEmpty();
        c.send("-ERR PSYNC FAILOVER replid must match my replid.\r\n");
        assertThat(owner.psyncReplies).containsExactly(false);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.NONE);
        assertThat(c.closed).isTrue();
        assertThat(c.take()).as("no SYNC retry").isEmpty();
    }

    @Test
    void shouldContinuePartiallyFromTheCachedMasterAndAdoptANewId() {
        owner.cachedReplid = ID;
        owner.cachedOffset = 500;
        start();
        final FakeMaster.Conn c = handshake();
        assertThat(c.take()).endsWith(resp("PSYNC", ID, "501"));
        c.send("+CONTINUE " + ID2 + "\r\n" + resp("SET", "k", "v"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTED);
        assertThat(owner.continuedWith).isEqualTo(ID2);
        assertThat(owner.applied).containsExactly("[SET, k, v]");
        assertThat(owner.stream.appliedOffset()).isEqualTo(500 + resp("SET", "k", "v").length());
        assertThat(owner.forwarded.toString()).isEqualTo(resp("SET", "k", "v"));
    }

    @Test
    void shouldKeepTheIdOnAPlainContinue() {
        owner.cachedReplid = ID;
        owner.cachedOffset = 10;
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+CONTINUE\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTED);
        assertThat(owner.continuedWith).isEqualTo("null");
        c.send("+CONTINUE " + ID + "\r\n");
    }

    @Test
    void shouldFallBackToSyncOnAnUnexpectedPsyncReplyThenFailOnGarbage() {
        start();
        final FakeMaster.Conn c = handshake();
        c.take();
        c.send("+HELLO there\r\n");
        assertThat(log.lines).contains("Unexpected reply to PSYNC from master: +HELLO there", "Retrying with SYNC...");
        assertThat(c.take()).isEqualTo(resp("SYNC"));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.TRANSFER);
        c.send("REDIS0010garbage\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(c.closed).isTrue();
        assertThat(log.lines).contains("Bad protocol from MASTER, the first byte is not '$' (we received "
            + "'REDIS0010garbage'), are you sure the host and port are right?");
        tick(ReplicaLink.RETRY_MS);
        assertThat(master.conns).hasSize(2);
    }

    @Test
    void shouldRetryLaterWhenTheMasterCannotSyncYet() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("-NOMASTERLINK Can't SYNC while not connected with my master\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(c.closed).isTrue();
    }

    @Test
    void shouldFailCleanlyOnMalformedFullResyncLines() {
        for (final String bad : new String[] {"+FULLRESYNC " + ID + " -5", "+FULLRESYNC " + ID + " x",
            "+FULLRESYNC short 10", "+FULLRESYNC " + ID}) {
            start();
            final FakeMaster.Conn c = handshake();
            c.send(bad + "\r\n");
            assertThat(link.state()).as(bad).isEqualTo(ReplicaLinkState.CONNECT);
            assertThat(c.closed).isTrue();
            assertThat(owner.loadedOffset).isEqualTo(-1);
            link.stop();
        }
        assertThat(log.lines).contains("Master replied with wrong +FULLRESYNC syntax.");
    }

    @Test
    void shouldRefuseAContinueItDidNotAskFor() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+CONTINUE " + ID + "\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(owner.stream).isNull();
    }

    @Test
    void shouldFailOnABadBulkLengthOrAnAbort() {
        for (final String bad : new String[] {"$-5", "$abc", "-ERR BGSAVE failed, replication can't continue"}) {
            start();
            final FakeMaster.Conn c = handshake();
            c.send("+FULLRESYNC " + ID + " 7\r\n" + bad + "\r\n");
            assertThat(link.state()).as(bad).isEqualTo(ReplicaLinkState.CONNECT);
            assertThat(c.closed).isTrue();
            link.stop();
        }
        assertThat(log.lines).contains("MASTER aborted replication with an error: ERR BGSAVE failed, replication "
            + "can't continue");
    }

    @Test
    void shouldHandOverBytesFollowingALengthFramedRdbToTheStream() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n$5\r\nRDBxx" + resp("SELECT", "0") + resp("SET", "a", "b").substring(0, 9));
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTED);
        assertThat(owner.loadedContent).isEqualTo("RDBxx");
        assertThat(owner.applied).containsExactly("[SELECT, 0]");
        c.send(resp("SET", "a", "b").substring(9));
        assertThat(owner.applied).containsExactly("[SELECT, 0]", "[SET, a, b]");
        assertThat(owner.stream.appliedOffset()).isEqualTo(resp("SELECT", "0").length() + resp("SET", "a", "b").length());
        // every read that moved the applied offset is acknowledged at once; the periodic ACK goes on
        final String ack = resp("REPLCONF", "ACK", Long.toString(owner.stream.appliedOffset()));
        assertThat(c.take()).endsWith(ack);
        tick(1000);
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "ACK", Long.toString(owner.stream.appliedOffset())));
    }

    @Test
    void shouldRetryWhenTheRdbDoesNotLoad() {
        owner.loadError = "Short read or OOM loading DB. Unrecoverable error, aborting now.";
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n$3\r\nbad");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(c.closed).isTrue();
        assertThat(log.lines).contains(owner.loadError);
    }

    @Test
    void shouldTimeOutInEachPhase() {
        start();
        tick(60_000);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
        tick(1);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(log.lines).contains("Timeout connecting to the MASTER...");

        tick(ReplicaLink.RETRY_MS);
        FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n");
        tick(59_000);
        c.send("\n");
        tick(59_000);
        assertThat(link.state()).as("a keepalive newline refreshes the timer").isEqualTo(ReplicaLinkState.TRANSFER);
        tick(1_001);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(log.lines).anyMatch(l -> l.startsWith("Timeout receiving bulk data from MASTER..."));

        tick(ReplicaLink.RETRY_MS);
        c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n$0\r\n");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTED);
        final int before = master.conns.size();
        tick(60_001);
        assertThat(log.lines).contains("MASTER timeout: no data nor PING received...");
        assertThat(owner.linkLost).isEqualTo(1);
        // an established link reconnects at once
        assertThat(master.conns).hasSize(before + 1);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
    }

    @Test
    void shouldAckEverySecondWhileConnected() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 40\r\n$0\r\n");
        c.take();
        tick(999);
        assertThat(c.take()).isEmpty();
        tick(1);
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "ACK", "40"));
        tick(500);
        assertThat(c.take()).isEmpty();
        tick(500);
        assertThat(c.take()).isEqualTo(resp("REPLCONF", "ACK", "40"));
    }

    @Test
    void shouldDropTheLinkOnAGarbledStreamAndContinueFromWhatWasApplied() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n$0\r\n" + resp("SET", "a", "1") + "*2\r\n$x\r\n");
        assertThat(owner.applied).containsExactly("[SET, a, 1]");
        assertThat(owner.linkLost).isEqualTo(1);
        assertThat(owner.cachedOffset).isEqualTo(resp("SET", "a", "1").length());
        assertThat(c.closed).isTrue();
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
        final FakeMaster.Conn again = master.last();
        assertThat(again).isNotSameAs(c);
        again.events.onConnected();
        again.send("+PONG\r\n+OK\r\n+OK\r\n");
        assertThat(again.take()).endsWith(resp("PSYNC", ID, Long.toString(resp("SET", "a", "1").length() + 1)));
    }

    @Test
    void shouldIgnoreEventsOfAnAbandonedConnection() {
        start();
        final FakeMaster.Conn old = master.last();
        tick(60_001);
        tick(ReplicaLink.RETRY_MS);
        assertThat(master.conns).hasSize(2);
        old.events.onConnected();
        old.send("+PONG\r\n");
        old.events.onClosed("reset");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECTING);
        assertThat(old.take()).isEmpty();
    }

    @Test
    void shouldRetryAfterARefusedConnection() {
        start();
        master.last().events.onClosed("Connection refused");
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
        assertThat(log.lines).contains("Error condition on socket for SYNC: Connection refused");
        tick(ReplicaLink.RETRY_MS);
        assertThat(master.conns).hasSize(2);
    }

    @Test
    void shouldLoseAnEstablishedLinkWhenTheMasterCloses() {
        start();
        final FakeMaster.Conn c = handshake();
        c.send("+FULLRESYNC " + ID + " 0\r\n$0\r\n");
        c.events.onClosed("reset by peer");
        assertThat(log.lines).contains("Connection with master lost.", "Caching the disconnected master state.",
            "Reconnecting to MASTER 127.0.0.1:6379");
        assertThat(owner.linkLost).isEqualTo(1);
        assertThat(link.downSinceMs()).isEqualTo(now);
        assertThat(master.conns).hasSize(2);
    }

    @Test
    void shouldFailOnAnEndlessLine() {
        start();
        final FakeMaster.Conn c = master.last();
        c.events.onConnected();
        c.send(new byte[70 * 1024]);
        assertThat(link.state()).isEqualTo(ReplicaLinkState.CONNECT);
    }

    @Test
    void shouldReportRoleNamesAsRedis() {
        assertThat(ReplicaLinkState.RECEIVE_CAPA_REPLY.roleName()).isEqualTo("handshake");
        assertThat(ReplicaLinkState.CONNECT.roleName()).isEqualTo("connect");
        assertThat(ReplicaLinkState.CONNECTING.roleName()).isEqualTo("connecting");
        assertThat(ReplicaLinkState.TRANSFER.roleName()).isEqualTo("sync");
        assertThat(ReplicaLinkState.CONNECTED.roleName()).isEqualTo("connected");
        assertThat(ReplicaLinkState.CONNECTED.isHandshake()).isFalse();
        assertThat(ReplicaLinkState.RECEIVE_PING_REPLY.isHandshake()).isTrue();
    }
}
