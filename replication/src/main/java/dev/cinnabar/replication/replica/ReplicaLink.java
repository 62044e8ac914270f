package dev.cinnabar.replication.replica;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import dev.cinnabar.protocol.client.AsyncRespClient;
import dev.cinnabar.protocol.resp.ProtocolException;
import dev.cinnabar.replication.ReplicationIds;
import dev.cinnabar.replication.ReplicationLog;
import dev.cinnabar.replication.ReplicationSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A replica's link to its master: connection, handshake, PSYNC, RDB transfer, then the command
 * stream, with Redis's states, replies and log lines so either end can be a real Redis.
 *
 * <p>Why one state machine and a single transition method: every input (connected, bytes, closed,
 * tick) is handled by the method of the current state, and only {@link #state} assigns the state,
 * recording when it changed; the timeouts of {@link #tick} are measured from the last I/O. A
 * failure anywhere before CONNECTED closes the connection and goes back to CONNECT, so a lying or
 * broken master costs a retry, never a half-synchronized replica.
 *
 * <ol>
 *   <li>Handshake: PING; then AUTH (if masterauth), REPLCONF listening-port, REPLCONF ip-address (if
 *       announced), REPLCONF capa eof capa psync2, written at once and answered in that order; then
 *       PSYNC with the cached master's id and offset + 1, or {@code ? -1}.</li>
 *   <li>Empty lines are the master's keepalives while it prepares the RDB: they only refresh the
 *       last I/O time.</li>
 *   <li>After a failed handshake or transfer the next attempt waits for a tick at least
 *       {@link #RETRY_MS} later; after losing an established link it reconnects at once (as Redis 7
 *       does, so the backlog has not moved on).</li>
 *   <li>Once connected, REPLCONF ACK goes out after every read of the stream that moved the applied
 *       offset, not only on GETACK and every second as in Redis: a Cinnabar master holds each
 *       write's reply until a replica acknowledged it (cinnabar-sync-replicas), also while client
 *       writes are paused for a switchover, when it sends no GETACK.</li>
 * </ol>
 *
 * <p>Redis: replication.c connectWithMaster(), syncWithMaster(), slaveTryPartialResynchronization(),
 * readSyncBulkPayload(), replicationCron() (replica part), replicationSendAck().
 */
public final class ReplicaLink {
    /** Redis's replicationCron period: a failed attempt is retried at the next one. */
    public static final long RETRY_MS = 1000;
    private static final long ACK_PERIOD_MS = 1000;
    /** Longest reply line accepted during the handshake; a master never sends more. */
    private static final int MAX_LINE = 64 * 1024;

    /** The replication state the link needs from, and reports to, its owner. */
    public interface Listener {
        /** The cached master to continue from: its id, or null when there is none (PSYNC ? -1). */
        String cachedReplid();

        /** The cached master's offset (the last byte it applied). */
        long cachedOffset();

        /** Whether the PSYNC must carry FAILOVER: we hand over to this master (a FAILOVER in progress). */
        boolean psyncFailover();

        /**
         * The master answered our PSYNC, accepting it (+CONTINUE, +FULLRESYNC) or not. Returns false
         * when the owner dropped this link in response (a refused FAILOVER hand-off is undone).
         */
        boolean onPsyncReply(boolean accepted);

        /**
         * The RDB of a full sync arrived in {@code file}: replace the dataset with it and adopt the
         * master's id and offset. Returns null on success, or why it failed (the link retries).
         */
        String loadRdb(Path file, String replid, long offset);

        /**
         * repl-diskless-load's choice for the RDB announced now: true to parse it as it arrives
         * (swapdb, or on-empty-db with an empty dataset), false to receive it into a file first.
         */
        boolean disklessLoad();

        /**
         * A diskless load of the master's RDB ({@code size} bytes, or -1 when mark-framed) starts:
         * the dataset enters the loading state. Returns the parser the loader thread runs.
         */
        DisklessLoad.Parser beginDisklessLoad(String replid, long size);

        /**
         * The diskless load ended, on the loop. With {@code parsed} (what the parser returned), the
         * dataset is replaced by it and the master's id and offset adopted; with null it failed
         * ({@code error} from the parser, or null when the link was cut) and the dataset stays as it
         * was before the load. Returns false when the load could not be installed.
         */
        boolean endDisklessLoad(Object parsed, String error, String replid, long offset);

        /** Runs {@code task} on the loop after what is queued now (the loader thread reports through it). */
        void execute(Runnable task);

        /** +CONTINUE: the cached master resumes; {@code newReplid} is the master's id if it changed, else null. */
        void onContinue(String newReplid);

        /** The stream applier for a link now in sync from {@code offset}. */
        MasterStream openStream(long offset);

        /** An established link was lost: the stream's applied offset is what a PSYNC will continue from. */
        void onLinkLost(MasterStream stream);
    }

    private final ReplicationSettings settings;
    private final ReplicationLog log;
    private final MasterConnection.Connector connector;
    private final Listener listener;
    private final String host;
    private final int port;
    private final Path tempDir;
    /** The time of an event (bytes, connect, close); periodic work gets it from {@link #tick}. */
    private final LongSupplier clock;

    private ReplicaLinkState state = ReplicaLinkState.CONNECT;
    private long stateChangeMs;
    private long nowMs;
    private long lastIoMs;
    private long retryAtMs;
    private long downSinceMs;
    private long lastAckMs;
    private long lastAckedOffset = -1;
    private MasterConnection connection;
    private ByteBuf input;
    private String fullResyncReplid;
    private long fullResyncOffset;
    private boolean prePsync;
    private RdbReceiver receiver;
    /** The diskless load in progress (TRANSFER only), else null. */
    private DisklessLoad load;
    /** Whether the socket's reading is paused (a full load pipe, or a payload waiting for its load). */
    private boolean readPaused;
    private MasterStream stream;
    /** The events of the connection in use; events of older connections are ignored. */
    private Events current;

    public ReplicaLink(final ReplicationSettings settings, final ReplicationLog log,
                       final MasterConnection.Connector connector, final Listener listener, final String host,
                       final int port, final Path tempDir, final LongSupplier clock) {
        this.settings = settings;
        this.log = log;
        this.connector = connector;
        this.listener = listener;
        this.host = host;
        this.port = port;
        this.tempDir = tempDir;
        this.clock = clock;
        this.nowMs = clock.getAsLong();
        this.stateChangeMs = nowMs;
        this.retryAtMs = nowMs;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public ReplicaLinkState state() {
        return state;
    }

    public long stateChangeMs() {
        return stateChangeMs;
    }

    /** Last time anything came from the master (master_last_io_seconds_ago, repl-timeout). */
    public long lastIoMs() {
        return lastIoMs;
    }

    /** When the link went down, or 0 if it never was up (master_link_down_since_seconds). */
    public long downSinceMs() {
        return downSinceMs;
    }

    /** The applier while CONNECTED, else null. */
    public MasterStream stream() {
        return stream;
    }

    /** The connection to the master, from CONNECTING on; null while waiting to reconnect. */
    public MasterConnection connection() {
        return connection;
    }

    /** The RDB being received while in TRANSFER, else null. */
    public RdbReceiver receiver() {
        return receiver;
    }

    /** Whether the RDB being received is parsed as it arrives (repl-diskless-load). */
    public boolean disklessLoading() {
        return load != null;
    }

    /** Only this method assigns the state. */
    private void state(final ReplicaLinkState next) {
        if (next == state) {
            return;
        }
        log.verbose("Replica link " + host + ":" + port + ": " + state + " -> " + next);
        if (state == ReplicaLinkState.CONNECTED) {
            downSinceMs = nowMs;
        }
        state = next;
        stateChangeMs = nowMs;
    }

    /** Starts the first connection attempt now (REPLICAOF, or start-up with replicaof configured). */
    public void start(final long now) {
        nowMs = now;
        connect();
    }

    private void connect() {
        log.notice("Connecting to MASTER " + host + ":" + port);
        lastIoMs = nowMs;
        state(ReplicaLinkState.CONNECTING);
        log.notice("MASTER <-> REPLICA sync started");
        final Events events = new Events();
        current = events;
        connection = connector.connect(host, port, events);
    }

    /**
     * Periodic duties (every 100 ms or so): reconnecting, timeouts, the ACK every second, and a
     * command the stream deferred.
     */
    public void tick(final long now) {
        nowMs = now;
        final long timeoutMs = settings.timeoutSeconds * 1000;
        switch (state) {
            case CONNECT -> {
                if (now >= retryAtMs) {
                    connect();
                }
            }
            case TRANSFER -> {
                // while the parser is behind, the socket is not read: its progress is the transfer's
                if (readPaused) {
                    lastIoMs = now;
                } else if (now - lastIoMs > timeoutMs) {
                    log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                        + "'repl-timeout' parameter in redis.conf to a larger value.");
                    fail();
                }
            }
            case CONNECTED -> tickConnected(timeoutMs);
            case NONE -> {
            }
            default -> {
                if (now - lastIoMs > timeoutMs) {
                    log.warning("Timeout connecting to the MASTER...");
                    fail();
                }
            }
        }
    }

    private void tickConnected(final long timeoutMs) {
        if (nowMs - lastIoMs > timeoutMs) {
            log.warning("MASTER timeout: no data nor PING received...");
            lose("MASTER timeout");
            return;
        }
        if (stream.hasDeferred()) {
            try {
                stream.process();
            } catch (ProtocolException e) {
                protocolError(e);
                return;
            }
        }
        if (!prePsync && nowMs - lastAckMs >= ACK_PERIOD_MS) {
            sendAck();
        }
    }

    /** REPLCONF ACK with the applied offset; also the answer to the master's REPLCONF GETACK. */
    public void sendAck() {
        if (state != ReplicaLinkState.CONNECTED || prePsync) {
            return;
        }
        lastAckMs = nowMs;
        lastAckedOffset = stream.appliedOffset();
        send("REPLCONF", "ACK", Long.toString(lastAckedOffset));
    }

    /** REPLICAOF NO ONE or another master: closes everything; this link is done. */
    public void stop() {
        closeConnection();
        if (stream != null) {
            listener.onLinkLost(stream);
            stream.close();
            stream = null;
        }
        state(ReplicaLinkState.NONE);
    }

    /** Drops an established link on purpose (CLIENT KILL TYPE master): it reconnects and continues. */
    public void dropConnected(final String why) {
        if (state == ReplicaLinkState.CONNECTED) {
            lose(why);
        } else if (state != ReplicaLinkState.NONE && state != ReplicaLinkState.CONNECT) {
            fail();
        }
    }

    private void send(final String... argv) {
        final byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        final ByteBuf out = Unpooled.buffer(64);
        AsyncRespClient.encode(b, out);
        connection.write(out);
    }

    /** Events of one connection; those of a connection this link no longer uses are ignored. */
    private final class Events implements MasterConnection.Events {
        @Override
        public void onConnected() {
            if (!isCurrent()) {
                return;
            }
            nowMs = clock.getAsLong();
            log.notice("Non blocking connect for SYNC fired the event.");
            lastIoMs = nowMs;
            state(ReplicaLinkState.RECEIVE_PING_REPLY);
            send("PING");
        }

        @Override
        public void onBytes(final ByteBuf data) {
            try {
                if (isCurrent()) {
                    nowMs = clock.getAsLong();
                    received(data);
                }
            } finally {
                data.release();
            }
        }

        @Override
        public void onClosed(final String reason) {
            if (!isCurrent()) {
                return;
            }
            nowMs = clock.getAsLong();
            connection = null;
            if (state == ReplicaLinkState.CONNECTED) {
                log.notice("Connection with master lost.");
                lose(reason);
            } else if (state == ReplicaLinkState.CONNECTING) {
                log.warning("Error condition on socket for SYNC: " + reason);
                fail();
            } else if (state == ReplicaLinkState.TRANSFER) {
                log.warning("I/O error trying to sync with MASTER: connection lost");
                fail();
            } else {
                log.warning("Master did not respond to command during SYNC handshake");
                fail();
            }
        }

        private boolean isCurrent() {
            return current == this;
        }
    }

    private void received(final ByteBuf data) {
        lastIoMs = nowMs;
        if (state == ReplicaLinkState.CONNECTED) {
            feedStream(data);
            ackIfApplied();
            return;
        }
        if (input == null) {
            input = Unpooled.buffer(256);
        }
        input.writeBytes(data);
        // each turn consumes a line or changes state; it ends when the input is exhausted
        while (input != null && state != ReplicaLinkState.CONNECTED) {
            // a payload may be complete with no byte left (an empty RDB of "$0")
            if (state == ReplicaLinkState.TRANSFER && receiver != null) {
                if (receiver.complete()) {
                    // a streamed payload is all in: what follows waits for the end of its load
                    return;
                }
                if (!receivePayload()) {
                    return;
                }
                continue;
            }
            final String line = readLine();
            if (line == null) {
                return;
            }
            if (!onLine(line)) {
                return;
            }
        }
        if (state == ReplicaLinkState.CONNECTED && input != null && input.isReadable()) {
            final ByteBuf rest = input;
            input = null;
            feedStream(rest);
            rest.release();
            ackIfApplied();
        }
    }

    /** After a read of the stream: REPLCONF ACK if it moved the applied offset (see the class comment). */
    private void ackIfApplied() {
        if (state == ReplicaLinkState.CONNECTED && stream.appliedOffset() != lastAckedOffset) {
            sendAck();
        }
    }

    /** One reply line in a handshake or transfer state; false when the link failed. */
    private boolean onLine(final String line) {
        return switch (state) {
            case RECEIVE_PING_REPLY -> pingReply(line);
            case RECEIVE_AUTH_REPLY -> authReply(line);
            case RECEIVE_PORT_REPLY -> portReply(line);
            case RECEIVE_IP_REPLY -> ipReply(line);
            case RECEIVE_CAPA_REPLY -> capaReply(line);
            case RECEIVE_PSYNC_REPLY -> psyncReply(line);
            case TRANSFER -> bulkHeader(line);
            default -> false;
        };
    }

    /**
     * The next line without its line end ("\r\n", or a bare "\n" as Redis's syncReadLine accepts),
     * or null when none is complete. An over-long line fails the link.
     */
    private String readLine() {
        final int eol = input.indexOf(input.readerIndex(), input.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (input.readableBytes() > MAX_LINE) {
                log.warning("Bad protocol from MASTER: reply line longer than " + MAX_LINE + " bytes");
                fail();
            }
            return null;
        }
        int end = eol;
        if (end > input.readerIndex() && input.getByte(end - 1) == '\r') {
            end--;
        }
        final String line = input.toString(input.readerIndex(), end - input.readerIndex(), StandardCharsets.ISO_8859_1);
        input.readerIndex(eol + 1);
        return line;
    }

    private boolean pingReply(final String line) {
        if (line.isEmpty()) {
            return true;
        }
        if (!line.startsWith("+") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
            && !line.startsWith("-ERR operation not permitted")) {
            log.warning("Error reply to PING from master: '" + line + "'");
            fail();
            return false;
        }
        log.notice("Master replied to PING, replication can continue...");
        state(ReplicaLinkState.SEND_HANDSHAKE);
        sendHandshake();
        return true;
    }

    /** AUTH, listening-port, ip-address and capabilities in one write; replies come back in order. */
    private void sendHandshake() {
        final boolean auth = !settings.masterauth.isEmpty();
        if (auth) {
            if (settings.masteruser.isEmpty()) {
                send("AUTH", settings.masterauth);
            } else {
                send("AUTH", settings.masteruser, settings.masterauth);
            }
        }
        send("REPLCONF", "listening-port", Integer.toString(settings.announcedPort()));
        if (!settings.announceIp.isEmpty()) {
            send("REPLCONF", "ip-address", settings.announceIp);
        }
        send("REPLCONF", "capa", "eof", "capa", "psync2");
        state(auth ? ReplicaLinkState.RECEIVE_AUTH_REPLY : ReplicaLinkState.RECEIVE_PORT_REPLY);
    }

    private boolean authReply(final String line) {
        if (line.startsWith("-")) {
            log.warning("Unable to AUTH to MASTER: " + line);
            fail();
            return false;
        }
        state(ReplicaLinkState.RECEIVE_PORT_REPLY);
        return true;
    }

    private boolean portReply(final String line) {
        if (line.startsWith("-")) {
            log.notice("(Non critical) Master does not understand REPLCONF listening-port: " + line);
        }
        state(settings.announceIp.isEmpty() ? ReplicaLinkState.RECEIVE_CAPA_REPLY : ReplicaLinkState.RECEIVE_IP_REPLY);
        return true;
    }

    private boolean ipReply(final String line) {
        if (line.startsWith("-")) {
            log.notice("(Non critical) Master does not understand REPLCONF ip-address: " + line);
        }
        state(ReplicaLinkState.RECEIVE_CAPA_REPLY);
        return true;
    }

    private boolean capaReply(final String line) {
        if (line.startsWith("-")) {
            log.notice("(Non critical) Master does not understand REPLCONF capa: " + line);
        }
        state(ReplicaLinkState.SEND_PSYNC);
        sendPsync();
        return true;
    }

    private void sendPsync() {
        final String cached = listener.cachedReplid();
        final String replid;
        final String offset;
        if (cached != null) {
            replid = cached;
            offset = Long.toString(listener.cachedOffset() + 1);
            log.notice("Trying a partial resynchronization (request " + cached + ":" + offset + ").");
        } else {
            replid = "?";
            offset = "-1";
            log.notice("Partial resynchronization not possible (no cached master)");
        }
        if (listener.psyncFailover()) {
            send("PSYNC", replid, offset, "FAILOVER");
        } else {
            send("PSYNC", replid, offset);
        }
        state(ReplicaLinkState.RECEIVE_PSYNC_REPLY);
    }

    private boolean psyncReply(final String line) {
        if (line.isEmpty()) {
            return true;
        }
        if (!listener.onPsyncReply(line.startsWith("+FULLRESYNC") || line.startsWith("+CONTINUE"))) {
            return false;
        }
        if (line.startsWith("+FULLRESYNC")) {
            return fullResyncReply(line);
        }
        if (line.startsWith("+CONTINUE")) {
            return continueReply(line);
        }
        if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            log.notice("Master is currently unable to PSYNC but should be in the future: " + line);
            fail();
            return false;
        }
        if (line.startsWith("-ERR")) {
            log.notice("Master does not support PSYNC or is in error state (reply: " + line + ")");
        } else {
            log.warning("Unexpected reply to PSYNC from master: " + line);
        }
        log.notice("Retrying with SYNC...");
        send("SYNC");
        prePsync = true;
        fullResyncReplid = ReplicationIds.randomId();
        fullResyncOffset = 0;
        state(ReplicaLinkState.TRANSFER);
        return true;
    }

    /**
     * "+FULLRESYNC replid offset". Redis continues with a blanked id on a malformed line; here the
     * attempt fails and is retried, since nothing sound can be built on it.
     */
    private boolean fullResyncReply(final String line) {
        final String[] w = line.split(" ");
        final long offset = w.length == 3 ? parseOffset(w[2]) : -1;
        if (w.length != 3 || !ReplicationIds.isValid(w[1]) || offset < 0) {
            log.warning("Master replied with wrong +FULLRESYNC syntax.");
            fail();
            return false;
        }
        log.notice("Full resync from master: " + w[1] + ":" + offset);
        fullResyncReplid = w[1];
        fullResyncOffset = offset;
        prePsync = false;
        state(ReplicaLinkState.TRANSFER);
        return true;
    }

    private static long parseOffset(final String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean continueReply(final String line) {
        final String cached = listener.cachedReplid();
        if (cached == null) {
            log.warning("Master accepted a partial resynchronization we did not ask for: " + line);
            fail();
            return false;
        }
        log.notice("Successful partial resynchronization with master.");
        final String rest = line.substring("+CONTINUE".length()).trim();
        String newId = null;
        if (ReplicationIds.isValid(rest) && !rest.equals(cached)) {
            newId = rest;
            log.notice("Master replication ID changed to " + newId);
        }
        listener.onContinue(newId);
        log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
        prePsync = false;
        goConnected(listener.cachedOffset());
        return true;
    }

    /** The first line of the transfer: "$len", "$EOF:mark", an error, or a keepalive. */
    private boolean bulkHeader(final String line) {
        if (line.isEmpty()) {
            return true;
        }
        if (line.startsWith("-")) {
            log.warning("MASTER aborted replication with an error: " + line.substring(1));
            fail();
            return false;
        }
        if (!line.startsWith("$")) {
            log.warning("Bad protocol from MASTER, the first byte is not '$' (we received '"
                + line.substring(0, Math.min(line.length(), 40)) + "'), are you sure the host and port are right?");
            fail();
            return false;
        }
        final boolean eof = line.startsWith("$EOF:") && line.length() >= 5 + RdbReceiver.MARK_LENGTH;
        final byte[] mark = eof ? line.substring(5, 5 + RdbReceiver.MARK_LENGTH).getBytes(StandardCharsets.ISO_8859_1) : null;
        final long size = eof ? -1 : parseOffset(line.substring(1));
        if (!eof && size < 0) {
            log.warning("Bad protocol from MASTER, invalid bulk length '" + line + "'");
            fail();
            return false;
        }
        final boolean diskless = listener.disklessLoad();
        final String target = diskless ? "to parser" : "to disk";
        log.notice(eof ? "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF " + target
            : "MASTER <-> REPLICA sync: receiving " + size + " bytes from master " + target);
        if (diskless) {
            startDisklessLoad(mark, size);
            return true;
        }
        final Path file = tempDir.resolve("temp-" + nowMs / 1000 + "." + ProcessHandle.current().pid() + ".rdb");
        try {
            receiver = eof ? RdbReceiver.ofMark(file, mark) : RdbReceiver.ofLength(file, size);
        } catch (IOException e) {
            log.warning("Opening the temp file needed for MASTER <-> REPLICA synchronization: " + e.getMessage());
            fail();
            return false;
        }
        return true;
    }

    /** The RDB goes to a parser on a loader thread as it arrives; the dataset is loading meanwhile. */
    private void startDisklessLoad(final byte[] mark, final long size) {
        final DisklessLoad.Parser parser = listener.beginDisklessLoad(fullResyncReplid, size);
        final DisklessLoad l = new DisklessLoad(parser, size, listener::execute, this::loadDrained, this::loadDone);
        load = l;
        receiver = mark != null ? RdbReceiver.ofMark(l.sink(), mark) : RdbReceiver.ofLength(l.sink(), size);
    }

    /** The parser caught up with a full pipe: the socket is read again. */
    private void loadDrained() {
        if (load != null && receiver != null && !receiver.complete()) {
            nowMs = clock.getAsLong();
            lastIoMs = nowMs;
            pauseReading(false);
        }
    }

    private void pauseReading(final boolean paused) {
        if (readPaused != paused && connection != null) {
            readPaused = paused;
            connection.pauseReading(paused);
        }
    }

    /** The loader thread finished (not called once the load was cancelled). */
    private void loadDone(final DisklessLoad l, final Object parsed, final String error) {
        if (l != load) {
            return;
        }
        nowMs = clock.getAsLong();
        load = null;
        if (parsed != null && !receiver.complete()) {
            // the parser found the RDB's end before the framing did: bytes the RDB does not account for
            listener.endDisklessLoad(null, receiver.size() < 0 ? "Replication stream EOF marker is broken"
                : "Bad RDB payload length from MASTER", fullResyncReplid, fullResyncOffset);
            fail();
            return;
        }
        final boolean usedMark = receiver.size() < 0;
        receiver = null;
        if (!listener.endDisklessLoad(parsed, error, fullResyncReplid, fullResyncOffset)) {
            fail();
            return;
        }
        pauseReading(false);
        log.notice("MASTER <-> REPLICA sync: Finished with success");
        goConnected(fullResyncOffset);
        if (usedMark) {
            sendAck();
        }
        if (input != null && input.isReadable()) {
            final ByteBuf rest = input;
            input = null;
            feedStream(rest);
            rest.release();
        }
    }

    /** Payload bytes; when the RDB is complete it is loaded. False when the link failed or waits for more. */
    private boolean receivePayload() {
        final boolean done;
        try {
            done = receiver.receive(input);
        } catch (IOException e) {
            log.warning("Write error saving the DB to disk during MASTER <-> REPLICA synchronization: "
                + e.getMessage());
            fail();
            return false;
        }
        if (load != null) {
            // the rest of the input (the stream of a $len transfer) waits for the load to end
            if (done || load.full()) {
                pauseReading(true);
            }
            return false;
        }
        if (!done) {
            return false;
        }
        final boolean usedMark = receiver.size() < 0;
        final Path file = receiver.file();
        receiver = null;
        final String error = listener.loadRdb(file, fullResyncReplid, fullResyncOffset);
        if (error != null) {
            log.warning(error);
            fail();
            return false;
        }
        log.notice("MASTER <-> REPLICA sync: Finished with success");
        goConnected(fullResyncOffset);
        if (usedMark) {
            // a streamed RDB: the master starts the command stream at this first ACK
            sendAck();
        }
        return true;
    }

    private void goConnected(final long offset) {
        stream = listener.openStream(offset);
        lastAckMs = nowMs;
        state(ReplicaLinkState.CONNECTED);
    }

    private void feedStream(final ByteBuf data) {
        try {
            stream.feed(data);
        } catch (ProtocolException e) {
            protocolError(e);
        }
    }

    private void protocolError(final ProtocolException e) {
        log.warning("Protocol error (" + e.getMessage() + ") from client: (master " + host + ":" + port + ")");
        lose("protocol error");
    }

    /** The established link is gone: the master is cached, and a reconnection starts at once. */
    private void lose(final String why) {
        closeConnection();
        log.notice("Caching the disconnected master state.");
        listener.onLinkLost(stream);
        stream.close();
        stream = null;
        state(ReplicaLinkState.CONNECT);
        log.notice("Reconnecting to MASTER " + host + ":" + port);
        connect();
    }

    /** A handshake or transfer failed: everything of the attempt is dropped; the next tick retries. */
    private void fail() {
        closeConnection();
        state(ReplicaLinkState.CONNECT);
        retryAtMs = nowMs + RETRY_MS;
    }

    private void closeConnection() {
        current = null;
        readPaused = false;
        if (load != null) {
            final DisklessLoad l = load;
            load = null;
            l.cancel();
            listener.endDisklessLoad(null, null, fullResyncReplid, fullResyncOffset);
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        if (input != null) {
            input.release();
            input = null;
        }
    }
}
